namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// ONNX MatMul on fp32 with numpy semantics (1-D operands promoted and the added dim removed; batch dims broadcast), in
/// ONNX Runtime's order (providers/cpu/math/matmul.cc, MatMulComputeHelper): when B is one matrix (rank ≥ 2, unit batch dims)
/// and A has at least B's rank, A's leading dims are flattened into M and one SGEMM runs; otherwise one SGEMM per
/// broadcast batch, where a 1-D B turns every row of A into its own batch with M = 1. Each SGEMM is
/// <see cref="FloatGemm.Sgemm"/> with alpha = 1, beta = 0 (so M = 1 and N = 1 take the M1 kernels), or
/// <see cref="FloatGemm.SgemmPackedB"/> when B is a constant 2-D initializer that ORT pre-packs.
/// </summary>
public static class MatMulKernel
{
    /// <summary>Y = A·B.</summary>
    public static TensorValue MatMul(TensorValue a, TensorValue b, bool bIsConstant)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new ArgumentException("MatMul operands must have rank ≥ 1");
        }

        int[] aShape = a.Rank == 1 ? [1, a.Shape[0]] : [.. a.Shape];
        int[] bShape = b.Rank == 1 ? [b.Shape[0], 1] : [.. b.Shape];
        int m = aShape[^2];
        int k = aShape[^1];
        int n = bShape[^1];
        if (bShape[^2] != k)
        {
            throw new ArgumentException($"MatMul inner dimensions differ: {a.ShapeText} x {b.ShapeText}");
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
        var y = new float[batchCount * m * n];
        float[] av = a.Items<float>();
        float[] bv = b.Items<float>();
        bool packed = bIsConstant && b.Rank == 2;
        if (a.Rank >= 2 && b.Rank >= 2 && a.Rank >= b.Rank && ShapeMath.ElementCount(bShape.AsSpan(0, bShape.Length - 2)) == 1)
        {
            // matmul_helper.h: B is one matrix and A has at least its rank, so A's leading dims fold into M (one GEMM).
            Run(packed, batchCount * m, n, k, av, bv, y);
            return TensorValue.FromFloats([.. outShape], y);
        }

        // General case: one GEMM per broadcast batch. A 1-D B makes each row of A its own batch with M = 1.
        int[] aMat = aShape;
        int gemmM = m;
        if (b.Rank == 1 && a.Rank >= 2)
        {
            aMat = [.. aShape[..^1], 1, k];
            gemmM = 1;
            batch = [.. batch, m];
        }

        int[] aBatch = aMat[..^2];
        int[] bBatch = bShape[..^2];
        int[] aStrides = Broadcast.BroadcastStrides(aBatch, batch);
        int[] bStrides = Broadcast.BroadcastStrides(bBatch, batch);
        int[] outStrides = ShapeMath.Strides(batch);
        int count = (int)ShapeMath.ElementCount(batch);
        for (int i = 0; i < count; i++)
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

            Run(packed, gemmM, n, k, av.AsSpan(aOff * gemmM * k, gemmM * k), bv.AsSpan(bOff * k * n, k * n), y.AsSpan(i * gemmM * n, gemmM * n));
        }

        return TensorValue.FromFloats([.. outShape], y);
    }

    private static void Run(bool packed, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (k == 0)
        {
            y.Clear();
            return;
        }

        if (packed)
        {
            FloatGemm.SgemmPackedB(false, false, m, n, k, 1f, a, k, b, n, 0f, y, n);
        }
        else
        {
            FloatGemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, y, n);
        }
    }
}
