using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// Issue 18's fast conv path (weights packed once, work split over threads, scratch from the shared pools) equals
/// the scalar references bit for bit on 1, 2, 3 and 4 threads: convs wide enough to split (16 to 140 output channels,
/// 16 to 50 depthwise channels at strides 1 to 3), per-tensor and per-channel zero points and scales, all four
/// signedness pairs, 64 to 100 input channels (the im2col split between threads too), one packing reused across calls
/// and thread counts; QGemm with B packed once, split by columns;
/// and the u8s8 GEMM's column chunks and 8-row register blocks.
/// </summary>
[Properties(Arbitrary = [typeof(IntConvRouteGenerators)], MaxTest = 40)]
public sealed class ParallelConvPropertyTests
{
    private static readonly int[] s_threads = [1, 2, 3, 4];

    [Property]
    public void PackedQLinearConv_U8S8_EqualsReferenceOnAnyThreads(WideRouteCase c) => CheckPacked<byte, sbyte, byte>(c);

    [Property]
    public void PackedQLinearConv_S8S8_EqualsReferenceOnAnyThreads(WideRouteCase c) => CheckPacked<sbyte, sbyte, sbyte>(c);

    [Property]
    public void PackedQLinearConv_U8U8_EqualsReferenceOnAnyThreads(WideRouteCase c) => CheckPacked<byte, byte, sbyte>(c);

    [Property]
    public void PackedQLinearConv_S8U8_EqualsReferenceOnAnyThreads(WideRouteCase c) => CheckPacked<sbyte, byte, byte>(c);

    [Property]
    public void U8S8Gemm_ColumnChunks_EqualScalar(PositiveInt rowBlocks, PositiveInt columnBlocks, PositiveInt quads, PositiveInt panel, int seed)
    {
        int m = ((rowBlocks.Get % 4) + 1) * U8S8Gemm.RowBlock;
        int n = ((columnBlocks.Get % 9) + 1) * U8S8Gemm.ColumnBlock;
        int kq = (quads.Get % 30) + 1;
        // A K panel budget of 1 to 5 16-column blocks, so the product crosses chunks and ends in an 8-column tail.
        int panelBytes = ((panel.Get % 5) + 1) * 16 * kq * 4;
        var rng = new Random(seed);
        int ldb = n + 8, ldc = n + 3;
        int[] w = [.. Enumerable.Range(0, m * kq).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        var b = new byte[kq * ldb * 4];
        rng.NextBytes(b);
        int[] init = [.. Enumerable.Range(0, m).Select(_ => rng.Next(int.MinValue, int.MaxValue))];
        var c = new int[m * ldc];
        var expected = new int[m * ldc];
        U8S8Gemm.Multiply(w, b, init, c, m, n, kq, ldb, ldc, n, 0, panelBytes);
        U8S8Gemm.MultiplyScalar(w, b, init, expected, m, n, kq, ldb, ldc, n, 0);
        Assert.Equal(expected, c);
    }

    [Property]
    public void PackedQGemm_EqualsReferenceOnAnyThreads(bool transA, bool transB, int seed)
    {
        // N from 64 to 300 columns, so 2 and 4 threads each take whole column ranges (64 or more each).
        var rng = new Random(seed);
        int m = rng.Next(1, 6), k = rng.Next(1, 70), n = rng.Next(64, 301);
        sbyte[] a = IntKernelGenerators.Codes<sbyte>(rng, m * k);
        byte[] b = IntKernelGenerators.Codes<byte>(rng, k * n);
        int az = rng.Next(-128, 128);
        int[] bz = rng.Next(2) == 0 ? [rng.Next(256)] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(256))];
        float[] bs = [.. Enumerable.Range(0, bz.Length).Select(_ => (float)rng.NextDouble())];
        int[] c = rng.Next(3) == 0 ? [] : [.. Enumerable.Range(0, m * n).Select(_ => rng.Next(-50000, 50000))];
        var (_, codes) = QGemmReference.Compute<sbyte, byte, sbyte>(a, 0.03f, az, transA, b, bs, bz, transB, m, k, n, c, m, n, 1f, 2.5f, -7);
        PackedGemmB packed = QGemm.PackB<byte>(b, bz, transB, k, n);
        float[] scales = QGemm.OutputScales(1f, 0.03f, bs, 2.5f, n);
        foreach (int threads in s_threads)
        {
            int[] acc = QGemm.Accumulate<sbyte>(a, az, transA, packed, m, c, m, n, new Parallelism(threads));
            var y = new sbyte[m * n];
            QGemm.Requantize<sbyte>(acc, scales, -7, y);
            Assert.True(codes.AsSpan().SequenceEqual(y), $"{threads} thread(s) differ from the reference");
        }
    }

    [Property]
    public void PackedQGemm_U8S8_EqualsReferenceOnAnyThreads(bool transA, bool transB, int seed)
    {
        // The vpdpbusd route with u8 A and s8 B (no flips; the other test flips both): K from 1 to 300 (every 32-byte
        // padding), N from 64 to 300 (4-column blocks and their tail), per-tensor and per-column B zero points.
        var rng = new Random(seed);
        int m = rng.Next(1, 4), k = rng.Next(1, 301), n = rng.Next(64, 301);
        byte[] a = IntKernelGenerators.Codes<byte>(rng, m * k);
        sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, k * n);
        int az = rng.Next(0, 256);
        int[] bz = rng.Next(2) == 0 ? [rng.Next(-128, 128)] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-128, 128))];
        float[] bs = [.. Enumerable.Range(0, bz.Length).Select(_ => (float)rng.NextDouble() / 64)];
        int[] c = rng.Next(3) == 0 ? [] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-50000, 50000))];
        var (_, codes) = QGemmReference.Compute<byte, sbyte, byte>(a, 0.03f, az, transA, b, bs, bz, transB, m, k, n, c, 1, n, 1f, 0.5f, 9);
        PackedGemmB packed = QGemm.PackB<sbyte>(b, bz, transB, k, n);
        float[] scales = QGemm.OutputScales(1f, 0.03f, bs, 0.5f, n);
        foreach (int threads in s_threads)
        {
            int[] acc = QGemm.Accumulate<byte>(a, az, transA, packed, m, c, 1, n, new Parallelism(threads));
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    long sum = c.Length == 0 ? 0 : c[j];
                    for (int t = 0; t < k; t++)
                    {
                        sum += (a[transA ? (t * m) + i : (i * k) + t] - az) * (b[transB ? (j * k) + t : (t * n) + j] - bz[bz.Length == 1 ? 0 : j]);
                    }

                    Assert.Equal(sum, acc[(i * n) + j]);
                }
            }

            var y = new byte[m * n];
            QGemm.Requantize<byte>(acc, scales, 9, y);
            Assert.True(codes.AsSpan().SequenceEqual(y), $"{threads} thread(s) differ from the reference");
        }
    }

    [Property(MaxTest = 25)]
    public void PackedQLinearConv_ManyChannels_EqualsReferenceOnAnyThreads(int seed, bool signedInput)
    {
        // 64 to 100 channels per group (16 or more channel quads, or single channels when not a multiple of 4), so the
        // im2col's plane fill is split between threads as well as its K quads; 1x1 convs take the direct panel fill.
        var rng = new Random(seed);
        int k = rng.Next(1, 4), stride = rng.Next(1, 3), pad = k == 1 && rng.Next(2) == 0 ? 0 : rng.Next(0, k);
        int channels = rng.Next(64, 101), batch = rng.Next(1, 3);
        int h = rng.Next(k, 9), w = rng.Next(k, 12);
        var g = ConvGeometry.Resolve([batch, channels, h, w], rng.Next(8, 40), [k, k], [stride, stride], null, [pad, pad, pad, pad], "NOTSET", 1);
        var c = new WideRouteCase(g, rng.Next(), rng.Next(2) == 0);
        if (signedInput)
        {
            CheckPacked<sbyte, sbyte, sbyte>(c);
        }
        else
        {
            CheckPacked<byte, sbyte, byte>(c);
        }
    }

    [Property(MaxTest = 25)]
    public void PackedQLinearConv_Pointwise_EqualsReferenceOnAnyThreads(int seed, bool signedInput)
    {
        // 1x1 convs over channel quads (the pixel-chunked route when every weight zero point is 0): 1 to 40 filters
        // (row-block padding), images up to 40x40 (several column chunks, ragged last chunk, pixel counts off 4 and 8).
        var rng = new Random(seed);
        int channels = 4 * rng.Next(1, 17), h = rng.Next(1, 41), w = rng.Next(1, 41);
        var g = ConvGeometry.Resolve([rng.Next(1, 3), channels, h, w], rng.Next(1, 41), [1, 1], null, null, null, "NOTSET", 1);
        var c = new WideRouteCase(g, rng.Next(), rng.Next(2) == 0);
        if (signedInput)
        {
            CheckPacked<sbyte, sbyte, sbyte>(c, symmetricWeights: rng.Next(3) != 0);
        }
        else
        {
            CheckPacked<byte, sbyte, byte>(c, symmetricWeights: rng.Next(3) != 0);
        }
    }

    [Fact]
    public void PackedWeights_MatchOnlyTheirGeometryAndZeroPoints()
    {
        var g = ConvGeometry.Resolve([1, 8, 5, 5], 16, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", 1);
        var w = new sbyte[16 * 8 * 9];
        var packed = PackedConvWeights.Pack<byte, sbyte>(g, 3, w, [0]);
        Assert.True(packed.Matches(g with { }, 3, [0]));
        Assert.False(packed.Matches(g, 4, [0]));
        Assert.False(packed.Matches(g, 3, [1]));
        Assert.False(packed.Matches(ConvGeometry.Resolve([2, 8, 5, 5], 16, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", 1), 3, [0]));
        Assert.False(packed.Matches(ConvGeometry.Resolve([1, 8, 5, 5], 16, [3, 3], [2, 2], null, [1, 1, 1, 1], "NOTSET", 1), 3, [0]));
        Assert.Throws<ArgumentException>(() => QLinearConv.Compute<sbyte, byte>(packed, new sbyte[8 * 25], 1f, [1f], 1f, 0, Array.Empty<int>(), new byte[16 * 25], Parallelism.Single));
    }

    private static void CheckPacked<TX, TW, TY>(WideRouteCase c, bool symmetricWeights = false)
        where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        var g = c.Geometry;
        var rng = new Random(c.Seed);
        int m = g.OutChannels;
        int wLo = int.CreateTruncating(TW.MinValue), wHi = int.CreateTruncating(TW.MaxValue);
        TX[] x = IntKernelGenerators.Codes<TX>(rng, g.Batch * g.InChannels * g.InSize);
        TW[] w = IntKernelGenerators.Codes<TW>(rng, m * (g.InChannels / g.Group) * g.KernelSize);
        int xz = rng.Next(int.CreateTruncating(TX.MinValue), int.CreateTruncating(TX.MaxValue) + 1);
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, m).Select(_ => rng.Next(wLo, wHi + 1))] : [rng.Next(wLo, wHi + 1)];
        if (symmetricWeights)
        {
            Array.Clear(wz);
        }

        float[] ws = [.. Enumerable.Range(0, c.PerChannel ? m : 1).Select(_ => MathF.Pow(2, -rng.Next(6, 14)) * (1 + (float)rng.NextDouble()))];
        int[] bias = rng.Next(3) == 0 ? [] : [.. Enumerable.Range(0, m).Select(_ => rng.Next(-30000, 30000))];
        int yz = rng.Next(Requantizer.QMin<TY>(), Requantizer.QMax<TY>() + 1);
        TY[] expected = QLinearConvReference.Compute<TX, TW, TY>(x, 0.05f, xz, w, ws, wz, 0.5f, yz, bias, g);
        var packed = PackedConvWeights.Pack<TX, TW>(g, xz, w, wz);
        foreach (int threads in s_threads)
        {
            var y = new TY[expected.Length];
            QLinearConv.Compute<TX, TY>(packed, x, 0.05f, ws, 0.5f, yz, bias, y, new Parallelism(threads));
            Assert.True(expected.AsSpan().SequenceEqual(y), $"{threads} thread(s) differ from the reference");
        }
    }
}
