using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.Numerics.Kernels.Normalization;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// The com.microsoft float ops ORT's level-2 transformer fusions produce: Gelu (GeluFusion), BiasGelu (BiasGeluFusion)
/// and FusedMatMul (MatMulScaleFusion, MatmulTransposeFusion), and DynamicQuantizeMatMul (DynamicQuantizeMatMulFusion),
/// each in ORT's CPU arithmetic.
/// </summary>
internal static class TransformerFusionOps
{
    /// <summary>
    /// com.microsoft DynamicQuantizeMatMul (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): A is quantized to
    /// uint8 with the parameters DynamicQuantizeLinear derives (the same GetQuantizationParameter and MLAS quantizer),
    /// then the MatMulIntegerToFloat arithmetic runs with multiplier A_scale·B_scale and the optional bias.
    /// </summary>
    [OnnxOp("DynamicQuantizeMatMul", "com.microsoft")]
    public static TensorValue[] DynamicQuantizeMatMul(OpContext ctx)
    {
        TensorValue a = ctx.Input(0);
        if (a.Type != DataType.Float)
        {
            throw new OpException($"DynamicQuantizeMatMul takes float A, not {DataTypeInfo.Name(a.Type)}");
        }

        (TensorValue aq, TensorValue aScale, TensorValue aZp) = OpGuard.Run(() => DynamicQuantizeLinear.Run(a));
        TensorValue?[] inputs = [aq, ctx.Input(1), aScale, ctx.Input(2), aZp, ctx.OptionalInput(3), ctx.OptionalInput(4)];
        Ir.Node n = ctx.Node;
        var node = n with { Inputs = [n.Inputs[0] + "/quantized", n.Inputs[1], n.Inputs[0] + "/scale", n.Inputs[2], n.Inputs[0] + "/zero_point", Slot(n, 3), Slot(n, 4)] };
        var inner = new OpContext(node, ctx.Opset, inputs, name => name == n.Inputs[1] ? ctx.IsConstant(1) : name.Length > 0 && name == Slot(n, 4) && ctx.IsConstant(4));
        return QLinearOps.MatMulIntegerToFloat(inner);
    }

    /// <summary>com.microsoft Gelu: ORT's CPU kernel is the exact (erf) Gelu of ONNX opset 20.</summary>
    [OnnxOp("Gelu", "com.microsoft")]
    public static TensorValue[] Gelu(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Gelu(ctx.Input(0), "none"))];

    /// <summary>com.microsoft SkipLayerNormalization: outputs Y, (mean, inv_std_var: not produced by ORT's CPU kernel
    /// either), and the input + skip + bias sum.</summary>
    [OnnxOp("SkipLayerNormalization", "com.microsoft")]
    public static TensorValue[] SkipLayerNormalization(OpContext ctx)
    {
        if (!ctx.HasAttribute("epsilon"))
        {
            throw new OpException("SkipLayerNormalization needs the epsilon attribute");
        }

        var (y, sum) = OpGuard.Run(() => SkipLayerNormKernel.Compute(ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.OptionalInput(3), ctx.OptionalInput(4), ctx.Float("epsilon", 0f)));
        return [y, TensorValue.Zeros(DataType.Float, [0]), TensorValue.Zeros(DataType.Float, [0]), sum];
    }

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

    private static string Slot(Ir.Node n, int i) => i < n.Inputs.Length ? n.Inputs[i] : string.Empty;
}
