namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// ONNX Gemm on fp32 as ONNX Runtime's CPU provider runs it (providers/cpu/math/gemm.cc): Y is first filled with C
/// broadcast to [M, N] (GemmBroadcastBias, only when C is given and beta ≠ 0), then MLAS SGEMM accumulates into it
/// with beta (beta is passed as 0 when C is absent): Y = beta·Y when beta ∉ {0, 1}, then per K block
/// Y = fma(acc, alpha, Y) — see <see cref="FloatGemm"/>. A constant B is pre-packed by ORT (Gemm PrePack), which
/// switches to the fixed 128×256 blocking of <see cref="FloatGemm.SgemmPackedB"/>.
/// </summary>
public static class GemmKernel
{
    /// <summary>Y[M, N] = alpha·op(A)·op(B) + beta·C.</summary>
    /// <param name="a">A [M, K] (or [K, M] when <paramref name="transA"/>).</param>
    /// <param name="b">B [K, N] (or [N, K] when <paramref name="transB"/>).</param>
    /// <param name="c">C, unidirectionally broadcastable to [M, N]; null when absent.</param>
    /// <param name="alpha">The ONNX alpha attribute.</param>
    /// <param name="beta">The ONNX beta attribute.</param>
    /// <param name="transA">The ONNX transA attribute.</param>
    /// <param name="transB">The ONNX transB attribute.</param>
    /// <param name="bIsConstant">true when B is a constant initializer, so ORT uses its pre-packed path.</param>
    public static TensorValue Gemm(TensorValue a, TensorValue b, TensorValue? c, float alpha, float beta, bool transA, bool transB, bool bIsConstant)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new ArgumentException($"Gemm needs 2-D A and B, got {a.ShapeText} and {b.ShapeText}");
        }

        int m = transA ? a.Shape[1] : a.Shape[0];
        int k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0];
        int n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
        {
            throw new ArgumentException($"Gemm inner dimensions differ: A {a.ShapeText} (transA={transA}), B {b.ShapeText} (transB={transB})");
        }

        var y = new float[m * n];
        if (c is not null && beta != 0f)
        {
            Broadcast.To(c.Items<float>(), [.. c.Shape], y, [m, n]);
        }

        float effectiveBeta = c is not null ? beta : 0f;
        if (k == 0)
        {
            if (effectiveBeta == 0f)
            {
                Array.Clear(y);
            }

            return TensorValue.FromFloats([m, n], y);
        }

        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        if (bIsConstant)
        {
            FloatGemm.SgemmPackedB(transA, transB, m, n, k, alpha, a.Items<float>(), lda, b.Items<float>(), ldb, effectiveBeta, y, n);
        }
        else
        {
            FloatGemm.Sgemm(transA, transB, m, n, k, alpha, a.Items<float>(), lda, b.Items<float>(), ldb, effectiveBeta, y, n);
        }

        return TensorValue.FromFloats([m, n], y);
    }
}
