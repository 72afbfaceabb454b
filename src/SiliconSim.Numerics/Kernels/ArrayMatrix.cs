using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// Integer matrix products as an accelerator's array computes them under <see cref="MatrixNumerics"/>: the plain path
/// used when the numerics are not ORT's (with <see cref="MatrixNumerics.Reference"/> the fast kernels run instead).
/// <para>
/// The accumulation order is defined, because a saturating register makes it observable: one output's register starts
/// at the bias (the partial sum a systolic column receives at its top edge, Gemmini's preloaded D) and adds the
/// products in K order, k = 0..K−1, as the operands pass down a column; after every addition the register is brought
/// back into its width by <see cref="NarrowAccumulator.Fit"/>. Each product (a − a_zp)(b − b_zp) is exact (two 9-bit
/// signed operands, as a PE with zero-point subtraction at its input has). A wrapping register is computed as the exact
/// sum wrapped once, which modular addition makes identical to wrapping after every step.
/// </para>
/// </summary>
public static class ArrayMatrix
{
    /// <summary>
    /// <c>acc[i, j] = Fit(…Fit(Fit(init[i, j]) + p_0)… + p_{K−1})</c> with
    /// <c>p_t = (a[i, t] − a_zp[i]) · (b[t, j] − b_zp[j])</c>. <paramref name="a"/> is [M, K] ([K, M] when
    /// <paramref name="transA"/>), <paramref name="b"/> is [K, N] ([N, K] when <paramref name="transB"/>); zero points
    /// have 1 value or one per row of A' (M) / column of B' (N); <paramref name="init"/> is empty (zero) or [M, N].
    /// </summary>
    public static void Gemm<TA, TB>(
        ReadOnlySpan<TA> a,
        ReadOnlySpan<int> aZeroPoints,
        bool transA,
        ReadOnlySpan<TB> b,
        ReadOnlySpan<int> bZeroPoints,
        bool transB,
        int m,
        int k,
        int n,
        ReadOnlySpan<int> init,
        MatrixNumerics numerics,
        Span<int> acc)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        ArgumentNullException.ThrowIfNull(numerics);
        if (a.Length != m * k || b.Length != k * n || acc.Length != m * n || (!init.IsEmpty && init.Length != m * n))
        {
            throw new ArgumentException($"A {a.Length}, B {b.Length}, init {init.Length} or output {acc.Length} values do not fit [{m},{k}] x [{k},{n}]");
        }

        QuantizedMatMulCore.CheckZeroPoints(aZeroPoints, m, "A zero point");
        QuantizedMatMulCore.CheckZeroPoints(bZeroPoints, n, "B zero point");

        // Operands with their zero points subtracted, A' row-major [M, K] and B' column-major [N, K], so that the K
        // loop below reads both contiguously.
        var aRows = new int[m * k];
        var bCols = new int[n * k];
        for (int i = 0; i < m; i++)
        {
            int zp = aZeroPoints[aZeroPoints.Length == 1 ? 0 : i];
            for (int t = 0; t < k; t++)
            {
                aRows[(i * k) + t] = int.CreateTruncating(a[transA ? (t * m) + i : (i * k) + t]) - zp;
            }
        }

        for (int j = 0; j < n; j++)
        {
            int zp = bZeroPoints[bZeroPoints.Length == 1 ? 0 : j];
            for (int t = 0; t < k; t++)
            {
                bCols[(j * k) + t] = int.CreateTruncating(b[transB ? (j * k) + t : (t * n) + j]) - zp;
            }
        }

        int bits = numerics.AccumulatorBits;
        AccumulatorOverflow overflow = numerics.Overflow;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<int> ar = aRows.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<int> bc = bCols.AsSpan(j * k, k);
                int first = init.IsEmpty ? 0 : init[(i * n) + j];
                if (overflow == AccumulatorOverflow.Wrap)
                {
                    // Wrapping addition is addition modulo 2^bits: wrapping once at the end equals wrapping after
                    // every step, and a long cannot overflow for any K an int index allows.
                    long sum = first;
                    for (int t = 0; t < k; t++)
                    {
                        sum += ar[t] * bc[t];
                    }

                    acc[(i * n) + j] = NarrowAccumulator.Fit(sum, bits, overflow);
                }
                else
                {
                    int r = NarrowAccumulator.Fit(first, bits, overflow);
                    for (int t = 0; t < k; t++)
                    {
                        r = NarrowAccumulator.Add(r, ar[t] * bc[t], bits, overflow);
                    }

                    acc[(i * n) + j] = r;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Gemm{TA, TB}"/> over a batched, broadcasting matmul (MatMulInteger's shapes): for every output matrix
    /// of <paramref name="shape"/>, A's rows carry <paramref name="aZeroPoints"/> (1 or M) and B's columns
    /// <paramref name="bZeroPoints"/> (1 or N); no bias.
    /// </summary>
    public static void MatMul<TA, TB>(ReadOnlySpan<TA> a, ReadOnlySpan<int> aZeroPoints, ReadOnlySpan<TB> b, ReadOnlySpan<int> bZeroPoints, MatMulShape shape, MatrixNumerics numerics, Span<int> y)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        ArgumentNullException.ThrowIfNull(shape);
        int m = shape.M, k = shape.K, n = shape.N;
        if (y.Length != shape.BatchCount * m * n)
        {
            throw new ArgumentException($"output holds {y.Length} values, expected {shape.BatchCount * m * n}");
        }

        for (int bi = 0; bi < shape.BatchCount; bi++)
        {
            int ai = shape.SourceIndex(bi, forA: true);
            int bj = shape.SourceIndex(bi, forA: false);
            Gemm(a.Slice(ai * m * k, m * k), aZeroPoints, false, b.Slice(bj * k * n, k * n), bZeroPoints, false, m, k, n, [], numerics, y.Slice(bi * m * n, m * n));
        }
    }

    /// <summary>
    /// A grouped N-d convolution as the array runs it after im2col: output (n, oc, p) is <see cref="Gemm{TA, TB}"/>'s
    /// register with init <c>bias[oc]</c> (0 when <paramref name="bias"/> is empty) and K = C/group · kernel size in the
    /// weight's own order (input channel of the group, then kernel taps row-major). A tap in the padding holds x_zp, so
    /// its product is 0 and the register is unchanged under either policy: such taps are skipped. <paramref name="w"/>
    /// is [M, C/group, k...]; <paramref name="wZeroPoints"/> has 1 or M values; <paramref name="acc"/> is [N, M, out...].
    /// </summary>
    public static void Conv<TX, TW>(ReadOnlySpan<TX> x, int xZeroPoint, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, ReadOnlySpan<int> bias, ConvGeometry geometry, MatrixNumerics numerics, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(numerics);
        ConvGeometry g = geometry;
        int cg = g.InChannels / g.Group, mg = g.OutChannels / g.Group;
        int kSize = g.KernelSize, inSize = g.InSize, outSize = g.OutSize;
        if (x.Length != g.Batch * g.InChannels * inSize || w.Length != g.OutChannels * cg * kSize || acc.Length != g.Batch * g.OutChannels * outSize)
        {
            throw new ArgumentException("input, weight or output length does not match the conv geometry");
        }

        QuantizedMatMulCore.CheckZeroPoints(wZeroPoints, g.OutChannels, "w zero point");
        if (!bias.IsEmpty && bias.Length != g.OutChannels)
        {
            throw new ArgumentException($"bias has {bias.Length} values, expected {g.OutChannels}");
        }

        int[] taps = TapOffsets(g);
        var wv = new int[w.Length];
        for (int oc = 0; oc < g.OutChannels; oc++)
        {
            int zp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
            for (int t = 0; t < cg * kSize; t++)
            {
                wv[(oc * cg * kSize) + t] = int.CreateTruncating(w[(oc * cg * kSize) + t]) - zp;
            }
        }

        int bits = numerics.AccumulatorBits;
        AccumulatorOverflow overflow = numerics.Overflow;
        int lo = NarrowAccumulator.MinValue(bits), hi = NarrowAccumulator.MaxValue(bits);
        var xv = new int[cg * inSize];
        for (int n = 0; n < g.Batch; n++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                ReadOnlySpan<TX> xs = x.Slice(((n * g.InChannels) + (grp * cg)) * inSize, cg * inSize);
                for (int t = 0; t < xv.Length; t++)
                {
                    xv[t] = int.CreateTruncating(xs[t]) - xZeroPoint;
                }

                for (int oc = grp * mg; oc < (grp + 1) * mg; oc++)
                {
                    ReadOnlySpan<int> wr = wv.AsSpan(oc * cg * kSize, cg * kSize);
                    int init = bias.IsEmpty ? 0 : bias[oc];
                    for (int p = 0; p < outSize; p++)
                    {
                        ReadOnlySpan<int> pt = taps.AsSpan(p * kSize, kSize);
                        acc[(((n * g.OutChannels) + oc) * outSize) + p] = overflow == AccumulatorOverflow.Wrap
                            ? NarrowAccumulator.Fit(init + ExactDot(xv, inSize, wr, kSize, pt, cg), bits, overflow)
                            : SaturatingDot(init, xv, inSize, wr, kSize, pt, cg, lo, hi);
                    }
                }
            }
        }
    }

    // Σ over the taps of one output in K order, exact: wrapping is modular, so the final Fit gives the same register.
    private static long ExactDot(int[] xv, int inSize, ReadOnlySpan<int> wr, int kSize, ReadOnlySpan<int> taps, int cg)
    {
        long sum = 0;
        for (int c = 0; c < cg; c++)
        {
            ReadOnlySpan<int> xc = xv.AsSpan(c * inSize, inSize);
            ReadOnlySpan<int> wc = wr.Slice(c * kSize, kSize);
            for (int kp = 0; kp < kSize; kp++)
            {
                int off = taps[kp];
                if (off >= 0)
                {
                    sum += xc[off] * wc[kp];
                }
            }
        }

        return sum;
    }

    // The saturating register: clamped to [lo, hi] after every addition, in K order.
    private static int SaturatingDot(int init, int[] xv, int inSize, ReadOnlySpan<int> wr, int kSize, ReadOnlySpan<int> taps, int cg, int lo, int hi)
    {
        long r = Math.Clamp(init, lo, hi);
        for (int c = 0; c < cg; c++)
        {
            ReadOnlySpan<int> xc = xv.AsSpan(c * inSize, inSize);
            ReadOnlySpan<int> wc = wr.Slice(c * kSize, kSize);
            for (int kp = 0; kp < kSize; kp++)
            {
                int off = taps[kp];
                if (off >= 0)
                {
                    r += xc[off] * wc[kp];
                    r = r < lo ? lo : r > hi ? hi : r;
                }
            }
        }

        return (int)r;
    }

    // For output position p and kernel tap kp, the offset of the input element in one channel's plane, or −1 when the
    // tap falls in the padding.
    private static int[] TapOffsets(ConvGeometry g)
    {
        int rank = g.SpatialRank, kSize = g.KernelSize, outSize = g.OutSize;
        var taps = new int[outSize * kSize];
        var o = new int[rank];
        var kk = new int[rank];
        for (int p = 0; p < outSize; p++)
        {
            Unflatten(p, g.OutSpatial, o);
            for (int kp = 0; kp < kSize; kp++)
            {
                Unflatten(kp, g.KernelSpatial, kk);
                int offset = 0;
                bool inside = true;
                for (int d = 0; d < rank; d++)
                {
                    int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (kk[d] * g.Dilations[d]);
                    inside &= pos >= 0 && pos < g.InSpatial[d];
                    offset = (offset * g.InSpatial[d]) + pos;
                }

                taps[(p * kSize) + kp] = inside ? offset : -1;
            }
        }

        return taps;
    }

    private static void Unflatten(int index, int[] extents, int[] result)
    {
        for (int d = extents.Length - 1; d >= 0; d--)
        {
            result[d] = index % extents[d];
            index /= extents[d];
        }
    }
}
