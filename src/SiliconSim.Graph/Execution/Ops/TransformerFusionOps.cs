using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// The com.microsoft float ops ORT's level-2 transformer fusions produce: Gelu (GeluFusion), BiasGelu (BiasGeluFusion)
/// and FusedMatMul (MatMulScaleFusion, MatmulTransposeFusion), each in ORT's CPU arithmetic.
/// </summary>
internal static class TransformerFusionOps
{
    /// <summary>com.microsoft Gelu: ORT's CPU kernel is the exact (erf) Gelu of ONNX opset 20.</summary>
    [OnnxOp("Gelu", "com.microsoft")]
    public static TensorValue[] Gelu(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Gelu(ctx.Input(0), "none"))];

    [OnnxOp("BiasGelu", "com.microsoft")]
    public static TensorValue[] BiasGelu(OpContext ctx) => [OpGuard.Run(() => BiasGeluKernel.BiasGelu(ctx.Input(0), ctx.Input(1)))];

    [OnnxOp("FusedMatMul", "com.microsoft")]
    public static TensorValue[] FusedMatMul(OpContext ctx)
    {
        TensorValue a = ctx.Input(0);
        TensorValue b = ctx.Input(1);
        if (a.Type != DataType.Float || b.Type != DataType.Float)
        {
            throw new OpException($"FusedMatMul supports float only, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        if (ctx.Int("transBatchA", 0) != 0 || ctx.Int("transBatchB", 0) != 0)
        {
            throw new OpException("FusedMatMul with transBatchA or transBatchB is not supported");
        }

        float alpha = ctx.Float("alpha", 1f);
        bool transA = ctx.Int("transA", 0) != 0;
        bool transB = ctx.Int("transB", 0) != 0;
        return [OpGuard.Run(() => FusedMatMulKernel.MatMul(a, b, alpha, transA, transB, bIsConstant: ctx.IsConstant(1)))];
    }
}
