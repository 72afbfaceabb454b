using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// fp32 Gemm and MatMul in MLAS SGEMM order. ORT pre-packs a constant B, which changes the K blocking (see
/// <see cref="FloatGemm.SgemmPackedB"/>); <see cref="OpContext"/> does not yet say whether an input is an initializer,
/// so these handlers take the run-time-B path. Both agree whenever K ≤ 128 and M &gt; 1.
/// </summary>
internal static class GemmOps
{
    [OnnxOp("Gemm")]
    public static TensorValue[] Gemm(OpContext ctx)
    {
        TensorValue a = ctx.Input(0);
        TensorValue b = ctx.Input(1);
        TensorValue? c = ctx.OptionalInput(2);
        if (a.Type != DataType.Float || b.Type != DataType.Float || (c is not null && c.Type != DataType.Float))
        {
            throw new OpException($"Gemm supports float only, got A {DataTypeInfo.Name(a.Type)}, B {DataTypeInfo.Name(b.Type)}");
        }

        if (ctx.Opset < 7 && ctx.Int("broadcast", 0) == 0 && c is not null && c.Rank != 2)
        {
            // Gemm-6 and older broadcast C only when asked; a model relying on that is malformed otherwise.
            throw new OpException("Gemm before opset 7 needs broadcast=1 for a non-2-D C");
        }

        float alpha = ctx.Float("alpha", 1f);
        float beta = ctx.Float("beta", 1f);
        bool transA = ctx.Int("transA", 0) != 0;
        bool transB = ctx.Int("transB", 0) != 0;
        return OpGuard.Run(() => new[] { GemmKernel.Gemm(a, b, c, alpha, beta, transA, transB, bIsConstant: ctx.IsConstant(1)) });
    }

    [OnnxOp("MatMul")]
    public static TensorValue[] MatMul(OpContext ctx)
    {
        TensorValue a = ctx.Input(0);
        TensorValue b = ctx.Input(1);
        if (a.Type != DataType.Float || b.Type != DataType.Float)
        {
            throw new OpException($"MatMul supports float only, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        return OpGuard.Run(() => new[] { MatMulKernel.MatMul(a, b, bIsConstant: ctx.IsConstant(1)) });
    }
}
