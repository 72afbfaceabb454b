namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// fp32 N-d convolution in the order of ONNX Runtime's CPU Conv (providers/cpu/nn/conv.cc → MLAS convolve.cpp,
/// MlasConvPrepare/MlasConv). Per batch and group, the conv is the GEMM
/// Out[M = filters/group, N = output pixels] = W[M, K = (C/group)·kernel] × cols[K, N] with K in (c, k_spatial...)
/// order and padded taps as +0 entries of cols. MLAS picks one of three algorithms:
/// <list type="bullet">
/// <item>GemmDirect: all strides 1, no padding and a 1×..×1 kernel: <see cref="FloatGemm.Sgemm"/> straight on the input
/// (also, for one input channel per group in 2-D, a kernel spanning the whole input width, or the whole height with
/// width 1: the input read in place as B or Bᵀ);</item>
/// <item>ExpandThenGemm: filters &gt; output pixels: the full im2col, then one <see cref="FloatGemm.Sgemm"/>;</item>
/// <item>otherwise ExpandThenGemmSegmented (MlasConvOperation): N cut by StrideN and K by StrideK chosen with
/// <see cref="FloatGemm.Strides"/>; for each K block an im2col slice and a <see cref="FloatGemm.Sgemm"/> call with
/// beta = 0 for the first block and 1 after (so the blocks combine as C = fma(acc, 1, C) = C + acc).</item>
/// </list>
/// The bias is added last with one fp32 add per element (MlasActivation, identity kind). Every inner SGEMM call keeps
/// its own special cases (M = 1 and N = 1 M1 kernels), which is what a depthwise conv (one filter per group) hits.
/// </summary>
public static class FloatConv
{
    /// <summary>Which MLAS conv algorithm the geometry selects for each (batch, group).</summary>
    public enum Algorithm
    {
        GemmDirect,
        GemmDirectTransposedInput,
        GemmDirectFullHeight,
        ExpandThenGemm,
        ExpandThenGemmSegmented,
    }

    /// <summary>The algorithm MlasConvPrepare chooses for <paramref name="g"/>.</summary>
    public static Algorithm Choose(ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        int cg = g.InChannels / g.Group;
        int filters = g.OutChannels / g.Group;
        bool stridesOne = g.Strides.All(s => s == 1);
        bool padZero = g.PadsBegin.All(p => p == 0) && g.PadsEnd.All(p => p == 0);
        bool dilationsOne = g.Dilations.All(d => d == 1);
        if (stridesOne && padZero)
        {
            if (g.KernelSize == 1)
            {
                return Algorithm.GemmDirect;
            }

            // MlasConvPrepare promotes 1-D to 2-D with height 1 before these checks.
            if (g.SpatialRank <= 2 && dilationsOne && cg == 1)
            {
                int inH = g.SpatialRank == 1 ? 1 : g.InSpatial[0];
                int inW = g.InSpatial[^1];
                int kH = g.SpatialRank == 1 ? 1 : g.KernelSpatial[0];
                int kW = g.KernelSpatial[^1];
                if (kW == inW)
                {
                    return Algorithm.GemmDirectTransposedInput;
                }

                if (kH == inH && kW == 1)
                {
                    return Algorithm.GemmDirectFullHeight;
                }
            }
        }

        return filters > g.OutSize ? Algorithm.ExpandThenGemm : Algorithm.ExpandThenGemmSegmented;
    }

    /// <summary>
    /// Y = conv(X, W) + bias for X [N, C, spatial...], W [M, C/group, kernel...], bias [M] or empty; returns Y
    /// [N, M, out...] flat. See the type's summary for the exact order. One thread: the reference for the parallel overload.
    /// </summary>
    public static float[] Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        var y = new float[g.Batch * g.OutChannels * g.OutSize];
        Algorithm algorithm = Choose(g);
        for (int b = 0; b < g.Batch; b++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                ConvGroup(x, w, bias, g, algorithm, b, grp, y, 0, int.MaxValue);
            }
        }

        return y;
    }

    /// <summary>
    /// <see cref="Conv(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ConvGeometry)"/> on up to
    /// <paramref name="parallelism"/>'s threads, with the same bits: the (batch, group) pairs are independent GEMMs, and
    /// so are the N slices of a segmented GEMM (each slice runs its own K blocks in order), so threads take whole pairs,
    /// or whole slices of one pair when there are fewer pairs than threads. The output comes from the
    /// <see cref="TensorArena"/> in use (every element is written).
    /// </summary>
    public static float[] Conv(float[] x, float[] w, float[] bias, ConvGeometry g, Parallelism parallelism)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(g);
        float[] y = TensorArena.Allocate<float>(g.Batch * g.OutChannels * g.OutSize);
        Algorithm algorithm = Choose(g);
        int pairs = g.Batch * g.Group;
        if (pairs >= parallelism.MaxThreads || algorithm != Algorithm.ExpandThenGemmSegmented)
        {
            parallelism.For(pairs, p => ConvGroup(x, w, bias, g, algorithm, p / g.Group, p % g.Group, y, 0, int.MaxValue));
            return y;
        }

        int k = g.InChannels / g.Group * g.KernelSize;
        int strideN = FloatGemm.Strides(g.OutSize, k, transA: false).StrideN;
        int slices = (g.OutSize + strideN - 1) / strideN;
        for (int p = 0; p < pairs; p++)
        {
            int b = p / g.Group, grp = p % g.Group;
            parallelism.For(slices, s => ConvGroup(x, w, bias, g, algorithm, b, grp, y, s, s + 1));
        }

        return y;
    }

    // One (batch, group) GEMM into y; for the segmented algorithm only N slices [firstSlice, endSlice) (others: all).
    private static void ConvGroup(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g, Algorithm algorithm,
        int b, int grp, Span<float> y, int firstSlice, int endSlice)
    {
        int cg = g.InChannels / g.Group;
        int filters = g.OutChannels / g.Group;
        int k = cg * g.KernelSize;
        int outSize = g.OutSize;
        int inSize = g.InSize;
        ReadOnlySpan<float> input = x.Slice(((b * g.InChannels) + (grp * cg)) * inSize, cg * inSize);
        ReadOnlySpan<float> filter = w.Slice(grp * filters * k, filters * k);
        Span<float> output = y.Slice(((b * g.OutChannels) + (grp * filters)) * outSize, filters * outSize);
        int n0 = 0, nEnd = outSize;
        switch (algorithm)
        {
            case Algorithm.GemmDirect:
                FloatGemm.Sgemm(false, false, filters, outSize, k, 1f, filter, k, input, outSize, 0f, output, outSize);
                break;
            case Algorithm.GemmDirectTransposedInput:
                // Each output row's patch is a contiguous run of the input: Bᵀ with ldb = input width.
                FloatGemm.Sgemm(false, true, filters, outSize, k, 1f, filter, k, input, g.InSpatial[^1], 0f, output, outSize);
                break;
            case Algorithm.GemmDirectFullHeight:
                FloatGemm.Sgemm(false, false, filters, outSize, k, 1f, filter, k, input, g.InSpatial[^1], 0f, output, outSize);
                break;
            case Algorithm.ExpandThenGemm:
                {
                    float[] cols = Scratch(ref s_fullCols, k * outSize);
                    Im2Col(input, g, 0, k, 0, outSize, cols);
                    FloatGemm.Sgemm(false, false, filters, outSize, k, 1f, filter, k, cols, outSize, 0f, output, outSize);
                    break;
                }

            default:
                int strideN = FloatGemm.Strides(outSize, k, transA: false).StrideN;
                n0 = (int)Math.Min((long)firstSlice * strideN, outSize);
                nEnd = (int)Math.Min((long)endSlice * strideN, outSize);
                Segmented(input, filter, output, g, filters, k, outSize, n0, nEnd);
                break;
        }

        if (!bias.IsEmpty)
        {
            for (int m = 0; m < filters; m++)
            {
                float bv = bias[(grp * filters) + m];
                Span<float> row = output.Slice((m * outSize) + n0, nEnd - n0);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] += bv;
                }
            }
        }
    }

    // The im2col buffers, reused per thread (every entry an SGEMM call reads is written first).
    [ThreadStatic]
    private static float[]? s_cols;

    [ThreadStatic]
    private static float[]? s_fullCols;

    private static float[] Scratch(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer;
    }

    private static void Segmented(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, ConvGeometry g, int filters, int k, int outSize, int nStart, int nEnd)
    {
        (int strideN, int strideK) = FloatGemm.Strides(outSize, k, transA: false);
        float[] cols = Scratch(ref s_cols, Math.Min(strideN, outSize) * Math.Min(strideK, k));
        for (int n0 = nStart; n0 < nEnd; n0 += strideN)
        {
            int cn = Math.Min(strideN, outSize - n0);
            float beta = 0f;
            for (int k0 = 0; k0 < k; k0 += strideK)
            {
                int ck = Math.Min(strideK, k - k0);
                Im2Col(input, g, k0, ck, n0, cn, cols);
                FloatGemm.Sgemm(false, false, filters, cn, ck, 1f, filter[k0..], k, cols, cn, beta, output[n0..], outSize);
                beta = 1f;
            }
        }
    }

    /// <summary>
    /// Fills cols[(kk - k0)·countN + (nn - n0)] = input tap kk of output pixel nn (+0 in the padding), for kk in
    /// [k0, k0 + countK) and nn in [n0, n0 + countN).
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> input, ConvGeometry g, int k0, int countK, int n0, int countN, Span<float> cols)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.SpatialRank == 2)
        {
            Im2Col2D(input, g, k0, countK, n0, countN, cols);
            return;
        }

        int rank = g.SpatialRank;
        int kernelSize = g.KernelSize;
        int inSize = g.InSize;
        // Per output pixel and dim, the input coordinate of kernel tap 0; a tap adds k·dilation.
        var origin = new int[countN * rank];
        Span<int> oIdx = stackalloc int[rank];
        Unravel(n0, g.OutSpatial, oIdx);
        for (int nn = 0; nn < countN; nn++)
        {
            for (int d = 0; d < rank; d++)
            {
                origin[(nn * rank) + d] = (oIdx[d] * g.Strides[d]) - g.PadsBegin[d];
            }

            for (int d = rank - 1; d >= 0; d--)
            {
                if (++oIdx[d] < g.OutSpatial[d])
                {
                    break;
                }

                oIdx[d] = 0;
            }
        }

        Span<int> kIdx = stackalloc int[rank];
        for (int kk = 0; kk < countK; kk++)
        {
            int kAbs = k0 + kk;
            int c = kAbs / kernelSize;
            Unravel(kAbs % kernelSize, g.KernelSpatial, kIdx);
            ReadOnlySpan<float> plane = input.Slice(c * inSize, inSize);
            Span<float> dst = cols.Slice(kk * countN, countN);
            for (int nn = 0; nn < countN; nn++)
            {
                int offset = 0;
                bool inside = true;
                for (int d = 0; d < rank; d++)
                {
                    int pos = origin[(nn * rank) + d] + (kIdx[d] * g.Dilations[d]);
                    if ((uint)pos >= (uint)g.InSpatial[d])
                    {
                        inside = false;
                        break;
                    }

                    offset = (offset * g.InSpatial[d]) + pos;
                }

                dst[nn] = inside ? plane[offset] : 0f;
            }
        }
    }

    /// <summary><see cref="Im2Col"/> for 2-D: output pixels walked row by row, a row's input row checked once.</summary>
    private static void Im2Col2D(ReadOnlySpan<float> input, ConvGeometry g, int k0, int countK, int n0, int countN, Span<float> cols)
    {
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outW = g.OutSpatial[1];
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        int sh = g.Strides[0], sw = g.Strides[1];
        int dh = g.Dilations[0], dw = g.Dilations[1];
        int pt = g.PadsBegin[0], pl = g.PadsBegin[1];
        int inSize = inH * inW;
        for (int kk = 0; kk < countK; kk++)
        {
            int kAbs = k0 + kk;
            int c = kAbs / (kh * kw);
            int ky = (kAbs / kw) % kh;
            int kx = kAbs % kw;
            ReadOnlySpan<float> plane = input.Slice(c * inSize, inSize);
            Span<float> dst = cols.Slice(kk * countN, countN);
            int oy = n0 / outW;
            int ox = n0 % outW;
            int nn = 0;
            while (nn < countN)
            {
                int run = Math.Min(outW - ox, countN - nn);
                int iy = (oy * sh) - pt + (ky * dh);
                Span<float> seg = dst.Slice(nn, run);
                if ((uint)iy >= (uint)inH)
                {
                    for (int q = 0; q < seg.Length; q++)
                    {
                        seg[q] = 0f;
                    }
                }
                else
                {
                    ReadOnlySpan<float> line = plane.Slice(iy * inW, inW);
                    int ix = (ox * sw) - pl + (kx * dw);
                    if (sw == 1 && ix >= 0 && ix + run <= inW && run >= 16)
                    {
                        line.Slice(ix, run).CopyTo(seg);
                    }
                    else
                    {
                        for (int q = 0; q < run; q++, ix += sw)
                        {
                            seg[q] = (uint)ix < (uint)inW ? line[ix] : 0f;
                        }
                    }
                }

                nn += run;
                ox = 0;
                oy++;
            }
        }
    }

    private static void Unravel(int index, int[] dims, Span<int> result)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            result[d] = index % dims[d];
            index /= dims[d];
        }
    }
}
