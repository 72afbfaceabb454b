using System.Numerics;

namespace SiliconSim.Numerics.Reference;

/// <summary>Plain scalar integer matmul with numpy broadcasting, every index computed from scratch.</summary>
public static class MatMulIntegerReference
{
    /// <summary>
    /// int32 [batch…, M, N] of Σ_t (a − a_zp[i])(b − b_zp[j]) for A [aBatch…, M, K] and B [bBatch…, K, N] given with
    /// explicit 2-D shapes (rank-1 operands are expanded by the caller).
    /// </summary>
    public static int[] Compute<TA, TB>(ReadOnlySpan<TA> a, int[] aShape, ReadOnlySpan<int> aZeroPoints, ReadOnlySpan<TB> b, int[] bShape, ReadOnlySpan<int> bZeroPoints, out int[] outShape)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        int m = aShape[^2], k = aShape[^1], n = bShape[^1];
        int[] aBatch = aShape[..^2], bBatch = bShape[..^2];
        int[] batch = ShapeMath.Broadcast(aBatch, bBatch);
        outShape = [.. batch, m, n];
        int batchCount = batch.Aggregate(1, (p, d) => p * d);
        var y = new int[batchCount * m * n];
        var coord = new int[batch.Length];
        for (int bi = 0; bi < batchCount; bi++)
        {
            int rem = bi;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                coord[d] = rem % batch[d];
                rem /= batch[d];
            }

            int aOff = Offset(coord, aBatch) * m * k;
            int bOff = Offset(coord, bBatch) * k * n;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    int acc = 0;
                    for (int t = 0; t < k; t++)
                    {
                        int av = int.CreateTruncating(a[aOff + (i * k) + t]) - aZeroPoints[aZeroPoints.Length == 1 ? 0 : i];
                        int bv = int.CreateTruncating(b[bOff + (t * n) + j]) - bZeroPoints[bZeroPoints.Length == 1 ? 0 : j];
                        acc = unchecked(acc + (av * bv));
                    }

                    y[(((bi * m) + i) * n) + j] = acc;
                }
            }
        }

        return y;
    }

    private static int Offset(int[] coord, int[] shape)
    {
        int lead = coord.Length - shape.Length;
        int offset = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : coord[lead + d]);
        }

        return offset;
    }
}
