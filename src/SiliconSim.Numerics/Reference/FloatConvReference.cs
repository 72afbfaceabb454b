using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain scalar statement of <see cref="FloatConv"/>: a direct convolution (no im2col buffer) where each output is
/// the dot product of its input patch (+0 for padded taps, taps in (c, k_spatial) order) and its filter, summed in the
/// order MLAS's conv algorithm and inner SGEMM path dictate (<see cref="FloatGemmReference.Element"/>), plus the bias.
/// </summary>
public static class FloatConvReference
{
    public static float[] Conv(float[] x, float[] w, float[] bias, ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(g);
        int cg = g.InChannels / g.Group;
        int filters = g.OutChannels / g.Group;
        int k = cg * g.KernelSize;
        int n = g.OutSize;
        FloatConv.Algorithm algorithm = FloatConv.Choose(g);
        bool segmented = algorithm == FloatConv.Algorithm.ExpandThenGemmSegmented;
        (int convStrideN, int convStrideK) = FloatGemm.Strides(n, k, false);
        var y = new float[g.Batch * g.OutChannels * n];
        var patch = new float[k];
        int[] o = new int[g.SpatialRank];
        int[] kIdx = new int[g.SpatialRank];
        for (int b = 0; b < g.Batch; b++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                for (int p = 0; p < n; p++)
                {
                    Unravel(p, g.OutSpatial, o);
                    for (int kk = 0; kk < k; kk++)
                    {
                        int c = (grp * cg) + (kk / g.KernelSize);
                        Unravel(kk % g.KernelSize, g.KernelSpatial, kIdx);
                        int offset = 0;
                        bool inside = true;
                        for (int d = 0; d < g.SpatialRank; d++)
                        {
                            int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (kIdx[d] * g.Dilations[d]);
                            inside &= pos >= 0 && pos < g.InSpatial[d];
                            offset = (offset * g.InSpatial[d]) + pos;
                        }

                        patch[kk] = inside ? x[(((b * g.InChannels) + c) * g.InSize) + offset] : 0f;
                    }

                    for (int m = 0; m < filters; m++)
                    {
                        ReadOnlySpan<float> filter = w.AsSpan(((grp * filters) + m) * k, k);
                        float value;
                        if (!segmented)
                        {
                            // One SGEMM over the whole K: M = filters, N = output pixels; the direct variants read the
                            // input in place (ldb = input width; B transposed when the kernel spans the width).
                            bool transB = algorithm == FloatConv.Algorithm.GemmDirectTransposedInput;
                            int ldb = algorithm is FloatConv.Algorithm.GemmDirectTransposedInput or FloatConv.Algorithm.GemmDirectFullHeight
                                ? g.InSpatial[^1] : n;
                            value = Gemm(patch, filter, 0f, 0f, filters, n, m, p, transB, ldb, n);
                        }
                        else
                        {
                            // K blocks of the conv's StrideK; each block is an SGEMM over the N slice holding p.
                            int cn = Math.Min(convStrideN, n - (p / convStrideN * convStrideN));
                            int nInSlice = p % convStrideN;
                            value = 0f;
                            for (int k0 = 0; k0 < k; k0 += convStrideK)
                            {
                                int ck = Math.Min(convStrideK, k - k0);
                                value = Gemm(patch.AsSpan(k0, ck), filter.Slice(k0, ck), value, k0 == 0 ? 0f : 1f, filters, cn, m, nInSlice, false, cn, n);
                            }
                        }

                        if (bias.Length > 0)
                        {
                            value += bias[(grp * filters) + m];
                        }

                        y[(((b * g.OutChannels) + (grp * filters) + m) * n) + p] = value;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Element (row, col) of an M×N SGEMM (A = filters, B = patches, not transposed) with ldb/ldc as given.</summary>
    private static float Gemm(ReadOnlySpan<float> patch, ReadOnlySpan<float> filter, float c, float beta, int m, int n, int row, int col, bool transB, int ldb, int ldc)
    {
        int strideK = FloatGemm.Strides(n, patch.Length, false).StrideK;
        if (m == 1)
        {
            // One filter: the M1 kernels walk the output columns.
            FloatGemmReference.Path p1 = transB ? FloatGemmReference.Path.M1TransposeB : FloatGemmReference.Path.M1;
            return FloatGemmReference.Element(filter, patch, c, 1f, beta, p1, strideK, col, n);
        }

        if (n == 1 && ldb == 1 && ldc == 1)
        {
            // One output pixel: Cᵀ = Bᵀ·Aᵀ through M1TransposeB, walking the filter rows.
            return FloatGemmReference.Element(filter, patch, c, 1f, beta, FloatGemmReference.Path.M1TransposeB, strideK, row, m);
        }

        return FloatGemmReference.Element(filter, patch, c, 1f, beta, FloatGemmReference.Path.Blocked, strideK, row, m);
    }

    private static void Unravel(int index, int[] dims, int[] result)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            result[d] = index % dims[d];
            index /= dims[d];
        }
    }
}
