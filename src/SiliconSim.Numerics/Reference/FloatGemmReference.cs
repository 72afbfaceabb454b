namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain scalar statement of <see cref="Kernels.Float.FloatGemm"/>'s arithmetic, one output element at a time: which
/// MLAS path applies and, for that path, the exact sequence of fp32 operations. Slow and obvious on purpose; the fast
/// kernel is tested against it.
/// </summary>
public static class FloatGemmReference
{
    /// <summary>The three MLAS SGEMM code paths.</summary>
    public enum Path
    {
        Blocked,
        M1,
        M1TransposeB,
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C computed element by element.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb,
        float beta, float[] c, int ldc, bool packedB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        bool simple = alpha == 1f && (beta == 0f || beta == 1f);
        Path path = packedB || !simple ? Path.Blocked
            : m == 1 && !transA ? (transB ? Path.M1TransposeB : Path.M1)
            : n == 1 && ldb == 1 && ldc == 1 ? (transA ? Path.M1 : Path.M1TransposeB)
            : Path.Blocked;
        int strideK = packedB ? 256 : Kernels.Float.FloatGemm.Strides(n, k, transA).StrideK;
        var av = new float[k];
        var bv = new float[k];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int kk = 0; kk < k; kk++)
                {
                    av[kk] = transA ? a[(kk * lda) + i] : a[(i * lda) + kk];
                    bv[kk] = transB ? b[(j * ldb) + kk] : b[(kk * ldb) + j];
                }

                // The M1 transpose kernel's lane reduction depends on the row's place among the "rows" it walks:
                // the output columns for M = 1, the output rows for N = 1.
                (int row, int rows) = m == 1 && !transA ? (j, n) : (i, m);
                c[(i * ldc) + j] = Element(av, bv, c[(i * ldc) + j], alpha, beta, path, strideK, row, rows);
            }
        }
    }

    /// <summary>One output value: dot(a, b) by <paramref name="path"/>, merged into <paramref name="c"/>.</summary>
    public static float Element(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float c, float alpha, float beta, Path path, int strideK, int row, int rows)
    {
        int k = a.Length;
        switch (path)
        {
            case Path.M1:
                {
                    // Groups of 4 products (each rounded, summed left to right), then 2, then 1; each group's sum is
                    // added to C (to +0 for the first group when beta = 0).
                    bool acc = beta != 0f;
                    int kk = 0;
                    foreach (int size in Groups(k))
                    {
                        float t = a[kk] * b[kk];
                        for (int q = 1; q < size; q++)
                        {
                            t += a[kk + q] * b[kk + q];
                        }

                        c = t + (acc ? c : 0f);
                        acc = true;
                        kk += size;
                    }

                    return c;
                }

            case Path.M1TransposeB:
                {
                    var l = new float[8];
                    for (int kk = 0; kk < (k + 7) / 8 * 8; kk++)
                    {
                        l[kk % 8] += kk < k ? a[kk] * b[kk] : 0f;
                    }

                    int full = rows / 4 * 4;
                    float sum = row < full ? (((l[0] + l[1]) + l[2]) + l[3]) + (((l[4] + l[5]) + l[6]) + l[7])
                        : (rows % 4 >= 2 && row < full + 2) ? ((l[0] + l[2]) + (l[4] + l[6])) + ((l[1] + l[3]) + (l[5] + l[7]))
                        : ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
                    return sum + (beta == 0f ? 0f : c);
                }

            default:
                {
                    if (beta != 0f && beta != 1f)
                    {
                        c *= beta;
                    }

                    bool zero = beta == 0f;
                    for (int k0 = 0; k0 < k; k0 += strideK)
                    {
                        float acc = 0f;
                        for (int kk = k0; kk < Math.Min(k, k0 + strideK); kk++)
                        {
                            acc = MathF.FusedMultiplyAdd(a[kk], b[kk], acc);
                        }

                        c = zero ? acc * alpha : MathF.FusedMultiplyAdd(acc, alpha, c);
                        zero = false;
                    }

                    return c;
                }
        }
    }

    private static IEnumerable<int> Groups(int k)
    {
        for (int i = 0; i < k / 4; i++)
        {
            yield return 4;
        }

        if ((k & 2) != 0)
        {
            yield return 2;
        }

        if ((k & 1) != 0)
        {
            yield return 1;
        }
    }
}
