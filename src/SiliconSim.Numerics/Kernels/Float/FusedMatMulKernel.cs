namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// com.microsoft FusedMatMul on fp32 (contrib_ops/cpu/math/fused_matmul.cc, which is ORT's MatMul&lt;float&gt; with the
/// transA, transB and alpha attributes): Y = alpha·op(A)·op(B) with numpy batch broadcasting, each matrix product one
/// MLAS SGEMM with beta = 0 and that alpha (see <see cref="FloatGemm"/>: the K-block accumulator is written as acc·alpha,
/// and the M = 1 / N = 1 kernels are skipped unless alpha = 1). As in matmul.cc, transposes are ignored for 1-D operands,
/// A's leading dims fold into M only when A is not transposed and B is one matrix, a 1-D B turns each row of A into its
/// own M = 1 product, and a constant 2-D B is pre-packed.
/// transBatchA / transBatchB are not modelled.
/// </summary>
public static class FusedMatMulKernel
{
    /// <summary>Y = alpha·op(A)·op(B).</summary>
    /// <exception cref="ArgumentException">rank-0 operands or inner dimensions that differ.</exception>
    public static TensorValue MatMul(TensorValue a, TensorValue b, float alpha, bool transA, bool transB, bool bIsConstant) =>
        Compute("FusedMatMul", a, b, alpha, transA, transB, bIsConstant);

    /// <summary>The shared body of FusedMatMul and plain MatMul (alpha 1, no transposes); <paramref name="op"/> names the op in errors.</summary>
    internal static TensorValue Compute(string op, TensorValue a, TensorValue b, float alpha, bool transA, bool transB, bool bIsConstant)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new ArgumentException($"{op} operands must have rank ≥ 1");
        }

        bool ta = transA && a.Rank != 1;
        bool tb = transB && b.Rank != 1;
        int[] aShape = a.Rank == 1 ? [1, a.Shape[0]] : [.. a.Shape];
        int[] bShape = b.Rank == 1 ? [b.Shape[0], 1] : [.. b.Shape];
        int m = ta ? aShape[^1] : aShape[^2];
        int k = ta ? aShape[^2] : aShape[^1];
        int kb = tb ? bShape[^1] : bShape[^2];
        int n = tb ? bShape[^2] : bShape[^1];
        if (kb != k)
        {
            string trans = transA || transB ? $" (transA={transA}, transB={transB})" : string.Empty;
            throw new ArgumentException($"{op} inner dimensions differ: {a.ShapeText} x {b.ShapeText}{trans}");
        }

        int[] batch = ShapeMath.Broadcast(aShape.AsSpan(0, aShape.Length - 2), bShape.AsSpan(0, bShape.Length - 2));
        var outShape = new List<int>(batch);
        if (a.Rank != 1)
        {
            outShape.Add(m);
        }

        if (b.Rank != 1)
        {
            outShape.Add(n);
        }

        int batchCount = (int)ShapeMath.ElementCount(batch);
        // Every element is written (k = 0 clears; SGEMM with beta 0 never reads C), so the array may come from the arena.
        float[] y = TensorArena.Allocate<float>(batchCount * m * n);
        float[] av = a.Items<float>();
        float[] bv = b.Items<float>();
        bool packed = bIsConstant && b.Rank == 2;
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        if (!ta && a.Rank >= 2 && b.Rank >= 2 && a.Rank >= b.Rank && ShapeMath.ElementCount(bShape.AsSpan(0, bShape.Length - 2)) == 1)
        {
            Run(packed, ta, tb, batchCount * m, n, k, alpha, av, lda, bv, ldb, y);
            return TensorValue.FromFloats([.. outShape], y);
        }

        // As MatMulKernel (matmul_helper.h): a 1-D B makes each row of an untransposed A its own batch with M = 1,
        // which decides whether SGEMM's M = 1 kernel runs when alpha is 1.
        int[] aMat = aShape;
        int gemmM = m;
        if (b.Rank == 1 && a.Rank >= 2 && !ta)
        {
            aMat = [.. aShape[..^1], 1, k];
            gemmM = 1;
            batch = [.. batch, m];
            batchCount *= m;
        }

        int[] aBatch = aMat[..^2];
        int[] bBatch = bShape[..^2];
        int[] aStrides = Broadcast.BroadcastStrides(aBatch, batch);
        int[] bStrides = Broadcast.BroadcastStrides(bBatch, batch);
        int[] outStrides = ShapeMath.Strides(batch);
        for (int i = 0; i < batchCount; i++)
        {
            int aOff = 0;
            int bOff = 0;
            int rem = i;
            for (int d = 0; d < batch.Length; d++)
            {
                int idx = rem / outStrides[d];
                rem %= outStrides[d];
                aOff += idx * aStrides[d];
                bOff += idx * bStrides[d];
            }

            Run(packed, ta, tb, gemmM, n, k, alpha, av.AsSpan(aOff * gemmM * k, gemmM * k), lda, bv.AsSpan(bOff * k * n, k * n), ldb, y.AsSpan(i * gemmM * n, gemmM * n));
        }

        return TensorValue.FromFloats([.. outShape], y);
    }

    private static void Run(bool packed, bool ta, bool tb, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> y)
    {
        if (k == 0)
        {
            y.Clear();
            return;
        }

        if (packed)
        {
            FloatGemm.SgemmPackedB(ta, tb, m, n, k, alpha, a, lda, b, ldb, 0f, y, n);
        }
        else
        {
            FloatGemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, 0f, y, n);
        }
    }
}
