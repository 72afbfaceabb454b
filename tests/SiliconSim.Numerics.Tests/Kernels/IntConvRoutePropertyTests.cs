using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The integer conv routes (u8s8 VNNI GEMM over image chunks, direct depthwise, int16 fallback) and their inner
/// kernels equal the scalar references: shapes reach every vector tail (columns not a multiple of 8 or 16, K not a
/// multiple of 4, rows wider than 16 pixels), batches span several image chunks, and all four signedness pairs run.
/// </summary>
[Properties(Arbitrary = [typeof(IntConvRouteGenerators)], MaxTest = 60)]
public sealed class IntConvRoutePropertyTests
{
    [Property]
    public void U8S8Gemm_EqualsModularDotProducts(PositiveInt rowBlocks, PositiveInt columnBlocks, PositiveInt quads, bool segmented, int seed)
    {
        int m = ((rowBlocks.Get % 3) + 1) * U8S8Gemm.RowBlock;
        int n = ((columnBlocks.Get % 5) + 1) * U8S8Gemm.ColumnBlock;
        int kq = (quads.Get % 40) + 1;
        var rng = new Random(seed);
        // Segmented: the [image, row, pixel] layout of a conv chunk, seg pixels per image.
        int seg = segmented ? U8S8Gemm.ColumnBlock * rng.Next(1, 3) : n;
        int ldb = n + 3, ldc = segmented ? seg : n + 5, segStride = segmented ? (seg * m) + 3 : 0;
        int[] w = [.. Enumerable.Range(0, m * kq).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        var b = new byte[kq * ldb * 4];
        rng.NextBytes(b);
        int[] init = [.. Enumerable.Range(0, m).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        int size = (((n - 1) / seg) * Math.Max(segStride, 1)) + (m * ldc) + seg;
        var c = new int[size];
        var cScalar = new int[size];
        U8S8Gemm.Multiply(w, b, init, c, m, n, kq, ldb, ldc, seg, segStride);
        U8S8Gemm.MultiplyScalar(w, b, init, cScalar, m, n, kq, ldb, ldc, seg, segStride);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long expected = init[i];
                for (int t = 0; t < kq * 4; t++)
                {
                    expected += (sbyte)(w[(i * kq) + (t / 4)] >> (8 * (t % 4))) * b[((((t / 4) * ldb) + j) * 4) + (t % 4)];
                }

                int at = (i * ldc) + (j / seg * segStride) + (j % seg);
                Assert.Equal(unchecked((int)expected), c[at]);
                Assert.Equal(unchecked((int)expected), cScalar[at]);
            }
        }
    }

    [Property]
    public void DepthwiseWideKernel_EqualsTapSums(PositiveInt count, PositiveInt taps, int seed)
    {
        int n = (count.Get % 40) + 1, k = (taps.Get % 12) + 1;
        var rng = new Random(seed);
        int[] wt = [.. Enumerable.Range(0, k).Select(_ => rng.Next(-255, 256))];
        int[] off = [.. Enumerable.Range(0, k).Select(_ => rng.Next(0, 30))];
        int[] plane = [.. Enumerable.Range(0, ((n + 7) & ~7) + off.Max()).Select(_ => rng.Next(-255, 256))];
        var acc = new int[(n + 7) & ~7];
        DepthwiseWideKernel.Accumulate(plane, wt, off, acc, n);
        for (int q = 0; q < n; q++)
        {
            Assert.Equal(Enumerable.Range(0, k).Sum(t => wt[t] * plane[q + off[t]]), acc[q]);
        }
    }

    [Property]
    public void DepthwiseQuadKernel_EqualsQuadDotSums(PositiveInt count, PositiveInt quadCount, bool zeroPoint, int seed)
    {
        // Row lengths of 1 to 12 vectors (the 4-vector blocks, their overlapping last block and the single vectors),
        // with and without the column-sum term of a non-zero weight zero point.
        int nPad = ((count.Get % 12) + 1) * 8, nq = (quadCount.Get % 9) + 1;
        var rng = new Random(seed);
        int[] off = [.. Enumerable.Range(0, nq).Select(_ => rng.Next(0, 40))];
        int[] w = [.. Enumerable.Range(0, nq).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        int[] ones = [.. Enumerable.Range(0, nq).Select(_ => 0x01010101 & rng.Next(int.MinValue, int.MaxValue))];
        int[] quads = [.. Enumerable.Range(0, nPad + 40).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        int init = rng.Next(int.MinValue, int.MaxValue), wz = zeroPoint ? rng.Next(-255, 256) : 0;
        var acc = new int[nPad];
        var scalar = new int[nPad];
        DepthwiseQuadKernel.AccumulateRow(ref quads[0], off, w, ones, init, wz, ref acc[0], nPad);
        DepthwiseQuadKernel.AccumulateRowScalar(ref quads[0], off, w, ones, init, wz, ref scalar[0], nPad);
        for (int j = 0; j < nPad; j++)
        {
            long expected = init;
            for (int u = 0; u < nq; u++)
            {
                for (int e = 0; e < 4; e++)
                {
                    int x = (quads[off[u] + j] >> (8 * e)) & 0xFF;
                    expected += x * ((sbyte)(w[u] >> (8 * e)) - (wz * (sbyte)(ones[u] >> (8 * e))));
                }
            }

            Assert.Equal(unchecked((int)expected), acc[j]);
            Assert.Equal(unchecked((int)expected), scalar[j]);
        }
    }

    [Property]
    public void DepthwiseQuadKernel_BuildsQuadsOfEveryColumnOrEveryOther(PositiveInt count, bool stride2, int seed)
    {
        int n = (count.Get % 50) + 1, s = stride2 ? 2 : 1;
        var bytes = new byte[(s * ((n + 7) & ~7)) + 24];
        new Random(seed).NextBytes(bytes);
        var quads = new int[(n + 7) & ~7];
        DepthwiseQuadKernel.BuildQuads(ref bytes[0], ref quads[0], n, s);
        for (int j = 0; j < n; j++)
        {
            Assert.Equal(bytes[s * j] | (bytes[(s * j) + 1] << 8) | (bytes[(s * j) + 2] << 16) | (bytes[(s * j) + 3] << 24), quads[j]);
        }
    }

    // The u8s8 depthwise route in 1 to 3 spatial dims: depth multipliers 1 to 3, width strides 1 and 2 (quads of every
    // column or every other), row and depth strides 1 to 3, dilations 1 and 2, pads that make the padded width equal
    // the output width or not; ConvInteger's accumulators and QLinearConv's direct requantization on 1, 2 and 3 threads.
    [Property(MaxTest = 40)]
    public void Depthwise_AnyRank_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        int rank = rng.Next(1, 4), c = rng.Next(2, 20), mg = rng.Next(1, 4);
        int[] k = [.. Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6))];
        long[] d = [.. Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 3))];
        long[] s = [.. Enumerable.Range(0, rank).Select(i => (long)rng.Next(1, i == rank - 1 ? 3 : 4))];
        long[] pads = [.. Enumerable.Range(0, 2 * rank).Select(_ => (long)rng.Next(0, 3))];
        int[] dims = [.. Enumerable.Range(0, rank).Select(i => Math.Max(rng.Next(1, 24), (int)((k[i] - 1) * d[i]) + 1))];
        var g = ConvGeometry.Resolve([rng.Next(1, 3), c, .. dims], c * mg, k, s, d, pads, "NOTSET", c);
        var rc = new RouteCase(g, rng.Next(), rng.Next(2) == 0);
        CheckConvInteger<byte, sbyte>(rc);
        CheckConvInteger<sbyte, byte>(rc);
        sbyte[] x = IntKernelGenerators.Codes<sbyte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, g.OutChannels * g.KernelSize);
        int xz = rng.Next(-128, 128);
        int[] wz = rc.PerChannel ? [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-128, 128))] : [0];
        float[] ws = [.. Enumerable.Range(0, wz.Length).Select(_ => MathF.Pow(2, -rng.Next(4, 12)) * (1 + (float)rng.NextDouble()))];
        int[] bias = rng.Next(3) == 0 ? [] : [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-30000, 30000))];
        sbyte[] expected = QLinearConvReference.Compute<sbyte, sbyte, sbyte>(x, 0.05f, xz, w, ws, wz, 0.5f, -3, bias, g);
        var packed = PackedConvWeights.Pack<sbyte, sbyte>(g, xz, w, wz);
        foreach (int threads in (int[])[1, 2, 3])
        {
            var y = new sbyte[expected.Length];
            QLinearConv.Compute<sbyte, sbyte>(packed, x, 0.05f, ws, 0.5f, -3, bias, y, new Parallelism(threads));
            Assert.True(expected.AsSpan().SequenceEqual(y), $"{threads} thread(s) differ from the reference");
        }
    }

    [Property]
    public void ConvInteger_U8S8_EqualsScalarReference(RouteCase c) => CheckConvInteger<byte, sbyte>(c);

    [Property]
    public void ConvInteger_S8S8_EqualsScalarReference(RouteCase c) => CheckConvInteger<sbyte, sbyte>(c);

    [Property]
    public void ConvInteger_U8U8_EqualsScalarReference(RouteCase c) => CheckConvInteger<byte, byte>(c);

    [Property]
    public void ConvInteger_S8U8_EqualsScalarReference(RouteCase c) => CheckConvInteger<sbyte, byte>(c);

    [Property]
    public void QLinearConv_S8S8_EqualsScalarReference(RouteCase c)
    {
        var g = c.Geometry;
        var rng = new Random(c.Seed);
        int m = g.OutChannels;
        int xz = rng.Next(-128, 128);
        sbyte[] x = IntKernelGenerators.Codes<sbyte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, m * (g.InChannels / g.Group) * g.KernelSize);
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, m).Select(_ => rng.Next(-128, 128))] : [0];
        float[] ws = [.. Enumerable.Range(0, c.PerChannel ? m : 1).Select(_ => MathF.Pow(2, -rng.Next(4, 12)) * (1 + (float)rng.NextDouble()))];
        int[] bias = [.. Enumerable.Range(0, m).Select(_ => rng.Next(-30000, 30000))];
        var y = new sbyte[g.Batch * m * g.OutSize];
        QLinearConv.Compute<sbyte, sbyte, sbyte>(x, 0.05f, xz, w, ws, wz, 0.5f, -3, bias, g, y);
        Assert.Equal(QLinearConvReference.Compute<sbyte, sbyte, sbyte>(x, 0.05f, xz, w, ws, wz, 0.5f, -3, bias, g), y);
    }

    [Property]
    public void QLinearGlobalAveragePool_S8_EqualsNchwReference(PositiveInt planes, PositiveInt image, int seed)
    {
        var rng = new Random(seed);
        int nc = (planes.Get % 9) + 1, s = (image.Get % 70) + 1;
        sbyte[] x = IntKernelGenerators.Codes<sbyte>(rng, nc * s);
        int xz = rng.Next(-128, 128), yz = rng.Next(-128, 128);
        float xs = 0.05f, ys = 0.02f + ((float)rng.NextDouble() * 0.1f);
        var y = new sbyte[nc];
        QLinearGlobalAveragePool.Compute<sbyte>(x, 1, nc, s, false, xs, xz, ys, yz, y);
        Assert.Equal(ElementwiseQuantReference.GlobalAveragePoolNchw<sbyte>(x, nc, s, xs, xz, ys, yz), y);
    }

    [Property]
    public void RequantizeRows_EqualsRowByRowScalarRule(PositiveInt rowCount, PositiveInt length, bool withBias, int seed)
    {
        var rng = new Random(seed);
        int rows = (rowCount.Get % 6) + 1, len = (length.Get % 40) + 1;
        int[] acc = [.. Enumerable.Range(0, rows * len).Select(_ => rng.Next(-200000, 200000))];
        float[] scales = [.. Enumerable.Range(0, rows).Select(_ => MathF.Pow(2, -rng.Next(0, 12)) * (1 + (float)rng.NextDouble()))];
        int[] bias = withBias ? [.. Enumerable.Range(0, rows).Select(_ => rng.Next(-5000, 5000))] : [];
        int zp = rng.Next(0, 256);
        var y = new byte[rows * len];
        Requantizer.RequantizeRows<byte>(acc, len, bias, scales, zp, y);
        byte[] expected = [.. acc.Select((a, i) => RequantizeReference.Requantize<byte>(a + (withBias ? bias[i / len] : 0), scales[i / len], zp))];
        Assert.Equal(expected, y);
    }

    // The digits CNN's conv shapes (C/group a multiple of 4, filters a multiple of 4, 8x8 and 4x4 images) over
    // batches that span several image chunks: the channel-interleaved im2col and the direct [image, oc, pixel] GEMM
    // output, with zero and non-zero weight zero points (the column-sum row) and both input signednesses.
    [Theory]
    [InlineData(16, 32, 8, 1, false)]
    [InlineData(32, 64, 4, 1, false)]
    [InlineData(32, 64, 4, 1, true)]
    [InlineData(8, 12, 5, 1, true)]
    [InlineData(64, 64, 4, 64, false)]
    public void ConvInteger_DigitsShapes_EqualScalarReference(int channels, int filters, int size, int group, bool perChannelZeroPoints)
    {
        var g = ConvGeometry.Resolve([18, channels, size, size], filters, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", group);
        var c = new RouteCase(g, channels * filters * size, perChannelZeroPoints);
        CheckConvInteger<byte, sbyte>(c);
        CheckConvInteger<sbyte, sbyte>(c);
        CheckConvInteger<byte, byte>(c);
        CheckConvInteger<sbyte, byte>(c);
    }

    // MobileNet-like depthwise layers through the direct route: 3x3 and 5x5 kernels, stride 1 or 2 (in rows, columns or
    // both), any pads, channel counts off multiples of 8 and 16 (a thread split lands mid-vector), rows from 1 to 70
    // pixels (every 16-, 8- and 4-code widening tail and the 16-column stride-2 pick with its tail), all four
    // signedness pairs with random zero points, compared bit for bit with the scalar reference.
    [Property]
    public void ConvInteger_Depthwise_EqualsScalarReference(int seed)
    {
        // Every dimension drawn from the seed, so the early (small-sized) FsCheck cases already reach wide rows.
        var rng = new Random(seed);
        int c = rng.Next(2, 42), k = rng.Next(2) == 0 ? 3 : 5;
        int h = rng.Next(k, 13), wd = rng.Next(k, 71);
        long[] s = [rng.Next(1, 3), rng.Next(1, 3)];
        long[] pads = [.. Enumerable.Range(0, 4).Select(_ => (long)rng.Next(0, (k / 2) + 1))];
        var g = ConvGeometry.Resolve([rng.Next(1, 3), c, h, wd], c, [k, k], s, null, pads, "NOTSET", c);
        var rc = new RouteCase(g, rng.Next(), rng.Next(2) == 0);
        CheckConvInteger<byte, sbyte>(rc);
        CheckConvInteger<sbyte, sbyte>(rc);
        CheckConvInteger<byte, byte>(rc);
        CheckConvInteger<sbyte, byte>(rc);
    }

    private static void CheckConvInteger<TX, TW>(RouteCase c)
        where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        var g = c.Geometry;
        var rng = new Random(c.Seed);
        int m = g.OutChannels;
        int wLo = int.CreateTruncating(TW.MinValue), wHi = int.CreateTruncating(TW.MaxValue);
        TX[] x = IntKernelGenerators.Codes<TX>(rng, g.Batch * g.InChannels * g.InSize);
        TW[] w = IntKernelGenerators.Codes<TW>(rng, m * (g.InChannels / g.Group) * g.KernelSize);
        int xz = rng.Next(int.CreateTruncating(TX.MinValue), int.CreateTruncating(TX.MaxValue) + 1);
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, m).Select(_ => rng.Next(wLo, wHi + 1))] : [rng.Next(wLo, wHi + 1)];
        var y = new int[g.Batch * m * g.OutSize];
        ConvInteger.Compute<TX, TW>(x, xz, w, wz, g, y);
        Assert.Equal(ConvIntegerReference.Compute<TX, TW>(x, xz, w, wz, g), y);
    }
}
