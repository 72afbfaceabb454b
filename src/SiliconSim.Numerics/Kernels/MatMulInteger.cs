using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>ONNX MatMulInteger: batched, broadcasting integer matmul with int32 output.</summary>
public static class MatMulInteger
{
    /// <summary>
    /// <c>y[b, i, j] = Σ_t (a[b', i, t] − a_zp[i]) · (b[b'', t, j] − b_zp[j])</c>, exact wrapping int32, for the
    /// shapes of <paramref name="shape"/>. <paramref name="aZeroPoints"/> has 1 or M values (per row),
    /// <paramref name="bZeroPoints"/> 1 or N values (per column); <paramref name="y"/> has BatchCount·M·N values.
    /// </summary>
    public static void Compute<TA, TB>(ReadOnlySpan<TA> a, ReadOnlySpan<int> aZeroPoints, ReadOnlySpan<TB> b, ReadOnlySpan<int> bZeroPoints, MatMulShape shape, Span<int> y)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        int m = shape.M, k = shape.K, n = shape.N;
        QuantizedMatMulCore.CheckZeroPoints(aZeroPoints, m, "A zero point");
        QuantizedMatMulCore.CheckZeroPoints(bZeroPoints, n, "B zero point");
        int aCount = shape.ABatchShape.Aggregate(1, (p, d) => p * d);
        int bCount = shape.BBatchShape.Aggregate(1, (p, d) => p * d);
        if (a.Length != aCount * m * k || b.Length != bCount * k * n)
        {
            throw new ArgumentException("operand lengths do not match the matmul shape");
        }

        if (y.Length != shape.BatchCount * m * n)
        {
            throw new ArgumentException($"output holds {y.Length} values, expected {shape.BatchCount * m * n}");
        }

        int kStride = IntGemm.PaddedK(k);
        var packedA = new short[aCount * m * kStride];
        var packedB = new short[bCount * n * kStride];
        for (int i = 0; i < aCount; i++)
        {
            QuantizedMatMulCore.PackRows(a.Slice(i * m * k, m * k), m, k, false, aZeroPoints, kStride, packedA.AsSpan(i * m * kStride));
        }

        for (int i = 0; i < bCount; i++)
        {
            QuantizedMatMulCore.PackRows(b.Slice(i * k * n, k * n), n, k, true, bZeroPoints, kStride, packedB.AsSpan(i * n * kStride));
        }

        for (int bi = 0; bi < shape.BatchCount; bi++)
        {
            int ai = shape.SourceIndex(bi, forA: true);
            int bj = shape.SourceIndex(bi, forA: false);
            IntGemm.MultiplyTransposed(
                packedA.AsSpan(ai * m * kStride, m * kStride),
                packedB.AsSpan(bj * n * kStride, n * kStride),
                y.Slice(bi * m * n, m * n),
                m,
                n,
                kStride,
                n);
        }
    }
}
