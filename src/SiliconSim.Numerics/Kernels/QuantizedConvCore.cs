using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The accumulator stage of integer convolutions (ConvInteger, QLinearConv): exact wrapping int32
/// <c>Σ (x − x_zp)(w − w_zp[oc])</c> per output, with padding taps contributing 0 (ORT pads the input with x_zero_point,
/// qlinearconv.cc). Spatial ranks 1..3 are handled by padding the geometry to three dims with extent 1. Three
/// interchangeable routes, all exact (int32 addition wraps associatively, so the summation order is free):
/// <list type="bullet">
/// <item>depthwise (one input channel per group) on AVX-VNNI with 8-bit codes: per channel a quad plane and one
/// vpdpbusd per kernel row, <see cref="DepthwiseQuadKernel"/> (width stride 1 or 2, any row and depth stride);</item>
/// <item>other depthwise convs (depth stride 1, row and width strides up to 2): a direct int32 kernel,
/// <see cref="DepthwiseWideKernel"/>;</item>
/// <item>AVX-VNNI: im2col of raw u8 codes into K quads and <see cref="U8S8Gemm"/>, with the zero points applied by the
/// exact expansion Σ x'w' − w_zp'·Σ x' − x_zp'·Σ w' + K·x_zp'·w_zp' (s8 inputs are moved to u8 and u8 weights to s8 by
/// flipping the top bit, which shifts the matching zero point by 128);</item>
/// <item>otherwise: im2col of zero-point-subtracted int16 and <see cref="IntGemm"/>.</item>
/// </list>
/// One file per route (<c>QuantizedConvCore.Depthwise.cs</c>, <c>.DepthwiseQuads.cs</c>, <c>.U8S8.cs</c> with its 1x1
/// pixel-chunked form <c>.Pointwise.cs</c>, <c>.Int16.cs</c>: its buffers, its setup, its
/// weight packing and its kernel); this file holds the geometry they share, the choice of route and the dispatch.
/// A core is immutable once packed (issue 18: packed once per model and reused across runs and threads); every
/// call rents its scratch buffers (<see cref="Workspace"/>) from the shared array pools.
/// </summary>
internal sealed partial class QuantizedConvCore
{
    // About 256 GEMM columns per chunk of images: enough to fill the micro-kernel's 16-column blocks when an image
    // has few output pixels, small enough that the K×N byte panel stays in L2.
    private const int ChunkColumns = 256;

    // The geometry padded to three spatial dims (leading dims of extent 1): input, kernel, output, stride, dilation,
    // leading pad, and the zero-point-bordered input plane's extents.
    private readonly int[] _in = new int[3];
    private readonly int[] _k = new int[3];
    private readonly int[] _out = new int[3];
    private readonly int[] _s = new int[3];
    private readonly int[] _d = new int[3];
    private readonly int[] _p = new int[3];
    private readonly int[] _padded = new int[3];
    private readonly int _channelsPerGroup;
    private readonly int _filtersPerGroup;
    private readonly int _planePadded;
    private readonly Route _route;

    private readonly int _xZeroPoint;
    private readonly bool _xSigned;
    private int[] _wZeroPoints = [];

    private enum Route
    {
        Int16Gemm,
        U8S8Gemm,
        Depthwise,
        DepthwiseQuads,
    }

    // Below these, a thread switch costs more than the piece it would run.
    private const int DepthwiseMinChannelsPerThread = 8;
    private const int GemmMinRowBlocksPerThread = 2;

    // Depthwise convs with at most this stride take the direct route (larger strides waste too much of the wide grid).
    private const int DepthwiseMaxStride = 2;

    private QuantizedConvCore(ConvGeometry g, int xZeroPoint, bool xSigned, bool u8s8)
    {
        Geometry = g;
        int rank = g.SpatialRank;
        if (rank is < 1 or > 3)
        {
            throw new ArgumentException($"integer convolution supports 1 to 3 spatial dims, got {rank}");
        }

        for (int i = 0; i < 3; i++)
        {
            int src = i - (3 - rank);
            bool real = src >= 0;
            _in[i] = real ? g.InSpatial[src] : 1;
            _k[i] = real ? g.KernelSpatial[src] : 1;
            _out[i] = real ? g.OutSpatial[src] : 1;
            _s[i] = real ? g.Strides[src] : 1;
            _d[i] = real ? g.Dilations[src] : 1;
            _p[i] = real ? g.PadsBegin[src] : 0;
            // Every conv tap lies in [-padBegin, in + padEnd) (floor output extents), so one zero-point-bordered copy
            // of the group input lets im2col run without bounds checks.
            _padded[i] = _in[i] + _p[i] + (real ? g.PadsEnd[src] : 0);
        }

        _xZeroPoint = xZeroPoint;
        _xSigned = xSigned;
        _channelsPerGroup = g.InChannels / g.Group;
        _filtersPerGroup = g.OutChannels / g.Group;
        K = _channelsPerGroup * g.KernelSize;
        OutSize = _out[0] * _out[1] * _out[2];
        InSize = _in[0] * _in[1] * _in[2];
        _planePadded = _padded[0] * _padded[1] * _padded[2];
        ImagesPerChunk = Math.Clamp(ChunkColumns / Math.Max(OutSize, 1), 1, Math.Max(g.Batch, 1));
        bool depthwise = _channelsPerGroup == 1 && g.Group > 1;
        if (depthwise && u8s8 && DepthwiseQuadKernel.IsAccelerated && FitsDepthwiseQuads)
        {
            _route = Route.DepthwiseQuads;
            InitDepthwiseQuads();
        }
        else if (depthwise && _s[0] == 1 && _s[1] <= DepthwiseMaxStride && _s[2] <= DepthwiseMaxStride)
        {
            _route = Route.Depthwise;
            InitDepthwise();
        }
        else if (u8s8)
        {
            _route = Route.U8S8Gemm;
            InitU8S8();
        }
        else
        {
            _route = Route.Int16Gemm;
            InitInt16();
        }
    }

    public ConvGeometry Geometry { get; }

    /// <summary>Reduction length per group: channels per group × kernel size.</summary>
    public int K { get; }

    /// <summary>The int16 route's padded K stride (0 on the other routes).</summary>
    public int KStride { get; private set; }

    public int OutSize { get; }

    public int InSize { get; }

    /// <summary>How many images <see cref="Accumulate{TX}(ReadOnlySpan{TX}, int, int, Span{int})"/> should be given at a time (the acc buffer size).</summary>
    public int ImagesPerChunk { get; }

    /// <summary>
    /// Validates the weight layout [M, C/group, k...] and the zero points, picks the route and packs the weights.
    /// <paramref name="xZeroPoint"/> must be a code of <typeparamref name="TX"/>.
    /// </summary>
    public static QuantizedConvCore Create<TX, TW>(ConvGeometry g, int xZeroPoint, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        if (g.Group <= 0 || g.InChannels % g.Group != 0 || g.OutChannels % g.Group != 0)
        {
            throw new ArgumentException($"group {g.Group} must divide input channels {g.InChannels} and output channels {g.OutChannels}");
        }

        int m = g.OutChannels;
        int k = g.InChannels / g.Group * g.KernelSize;
        if (w.Length != m * k)
        {
            throw new ArgumentException($"weights hold {w.Length} values, expected {m}x{g.InChannels / g.Group}x{g.KernelSize}");
        }

        if (wZeroPoints.Length != 1 && wZeroPoints.Length != m)
        {
            throw new ArgumentException($"weight zero point must have 1 or {m} values, got {wZeroPoints.Length}");
        }

        bool xSigned = TX.IsNegative(TX.CreateTruncating(-1));
        bool eightBit = Unsafe.SizeOf<TX>() == 1 && Unsafe.SizeOf<TW>() == 1;
        int xAdjusted = xZeroPoint + (xSigned ? 128 : 0);
        var core = new QuantizedConvCore(g, xZeroPoint, xSigned, U8S8Gemm.IsAccelerated && eightBit && xAdjusted is >= 0 and <= 255)
        {
            _wZeroPoints = wZeroPoints.ToArray(),
        };
        switch (core._route)
        {
            case Route.Depthwise: core.PackDepthwise(w, wZeroPoints); break;
            case Route.DepthwiseQuads: core.PackDepthwiseQuads(w, wZeroPoints, xAdjusted); break;
            case Route.U8S8Gemm: core.PackU8S8(w, wZeroPoints, xAdjusted); break;
            default: core.PackInt16(w, wZeroPoints); break;
        }

        return core;
    }

    /// <summary>The zero points and geometry this core was packed for: a cached core is reused only when all match.</summary>
    public bool Matches(ConvGeometry g, int xZeroPoint, ReadOnlySpan<int> wZeroPoints) =>
        xZeroPoint == _xZeroPoint && wZeroPoints.SequenceEqual(_wZeroPoints) && g.Batch == Geometry.Batch && g.InChannels == Geometry.InChannels
        && g.OutChannels == Geometry.OutChannels && g.Group == Geometry.Group && g.InSpatial.AsSpan().SequenceEqual(Geometry.InSpatial)
        && g.KernelSpatial.AsSpan().SequenceEqual(Geometry.KernelSpatial) && g.Strides.AsSpan().SequenceEqual(Geometry.Strides)
        && g.Dilations.AsSpan().SequenceEqual(Geometry.Dilations) && g.PadsBegin.AsSpan().SequenceEqual(Geometry.PadsBegin)
        && g.PadsEnd.AsSpan().SequenceEqual(Geometry.PadsEnd);

    /// <summary>
    /// Exact int32 accumulators of images <paramref name="first"/>..first+count−1:
    /// <paramref name="acc"/>[(b·M + oc)·OutSize + p] = Σ (x − x_zp)(w − w_zp[oc]) for image first + b. One thread.
    /// </summary>
    public void Accumulate<TX>(ReadOnlySpan<TX> x, int first, int count, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        CheckRange(x.Length, first, count, acc.Length);
        int perImage = Geometry.OutChannels * OutSize;
        switch (_route)
        {
            case Route.Depthwise:
                for (int b = 0; b < count; b++)
                {
                    DepthwiseChannels(x, first + b, acc.Slice(b * perImage, perImage), 0, Geometry.InChannels);
                }

                break;
            case Route.DepthwiseQuads:
                for (int b = 0; b < count; b++)
                {
                    DepthwiseQuadChannels<TX, byte>(x, first + b, 0, Geometry.InChannels, acc.Slice(b * perImage, perImage), [], [], 0, []);
                }

                break;
            case Route.U8S8Gemm:
                {
                    Workspace ws = RentU8S8();
                    try
                    {
                        for (int gi = 0; gi < Geometry.Group; gi++)
                        {
                            U8S8Im2Col(x, first, count, gi, ws);
                            U8S8Multiply(count, gi, acc, ws, 0, _mgPad / U8S8Gemm.RowBlock);
                            U8S8Scatter(count, gi, acc, ws);
                        }
                    }
                    finally
                    {
                        ws.Return();
                    }

                    break;
                }

            default:
                {
                    Workspace ws = RentInt16();
                    try
                    {
                        for (int b = 0; b < count; b++)
                        {
                            Int16Image(x, first + b, acc.Slice(b * perImage, perImage), ws);
                        }
                    }
                    finally
                    {
                        ws.Return();
                    }

                    break;
                }
        }
    }

    /// <summary>
    /// <see cref="Accumulate{TX}(ReadOnlySpan{TX}, int, int, Span{int})"/> on up to <paramref name="parallelism"/>'s
    /// threads: the u8s8 route's im2col splits its channels and K quads and its GEMM its row blocks (output channels),
    /// the depthwise route its channels, each piece
    /// writing its own outputs; every output is still one exact integer sum, so the bits do not depend on the threads.
    /// </summary>
    public void Accumulate<TX>(ReadOnlyMemory<TX> x, int first, int count, Memory<int> acc, Parallelism parallelism)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        if (!parallelism.IsParallel || _route == Route.Int16Gemm)
        {
            Accumulate(x.Span, first, count, acc.Span);
            return;
        }

        CheckRange(x.Length, first, count, acc.Length);
        int perImage = Geometry.OutChannels * OutSize;
        if (_route == Route.Depthwise)
        {
            for (int b = 0; b < count; b++)
            {
                int image = first + b;
                Memory<int> slice = acc.Slice(b * perImage, perImage);
                parallelism.ForRanges(Geometry.InChannels, (start, end) => DepthwiseChannels(x.Span, image, slice.Span, start, end), DepthwiseMinChannelsPerThread);
            }

            return;
        }

        if (_route == Route.DepthwiseQuads)
        {
            for (int b = 0; b < count; b++)
            {
                int image = first + b;
                Memory<int> slice = acc.Slice(b * perImage, perImage);
                parallelism.ForRanges(Geometry.InChannels, (start, end) => DepthwiseQuadChannels<TX, byte>(x.Span, image, start, end, slice.Span, [], [], 0, []), DepthwiseMinChannelsPerThread);
            }

            return;
        }

        Workspace ws = RentU8S8();
        try
        {
            for (int gi = 0; gi < Geometry.Group; gi++)
            {
                U8S8Im2Col(x, first, count, gi, ws, parallelism);
                int group = gi;
                parallelism.ForRanges(_mgPad / U8S8Gemm.RowBlock, (start, end) => U8S8Multiply(count, group, acc.Span, ws, start, end), GemmMinRowBlocksPerThread);
                U8S8Scatter(count, gi, acc.Span, ws);
            }
        }
        finally
        {
            ws.Return();
        }
    }

    /// <summary>
    /// True when <see cref="AccumulateRequantized{TX, TY}"/> serves this core: its route requantizes each channel's
    /// accumulators while they are still in L1 instead of writing the whole accumulator block first.
    /// </summary>
    public bool RequantizesDirectly => _route == Route.DepthwiseQuads || FusesPointwise;

    /// <summary>
    /// QLinearConv's accumulate-and-requantize of one image on up to <paramref name="parallelism"/>'s threads (split by
    /// channels), with the arithmetic of <see cref="Requantizer.RequantizeRow{T}"/> per output channel;
    /// <paramref name="y"/> is the image's [M, OutSize] codes. Only when <see cref="RequantizesDirectly"/>.
    /// </summary>
    public void AccumulateRequantized<TX, TY>(ReadOnlyMemory<TX> x, int image, ReadOnlyMemory<int> bias, float[] scales, int yZeroPoint, Memory<TY> y, Parallelism parallelism)
        where TX : unmanaged, IBinaryInteger<TX>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        if (!RequantizesDirectly)
        {
            throw new InvalidOperationException("this conv route does not requantize directly");
        }

        CheckRange(x.Length, image, 1, int.MaxValue);
        if (_route == Route.DepthwiseQuads)
        {
            parallelism.ForRanges(Geometry.InChannels, (start, end) => DepthwiseQuadChannels(x.Span, image, start, end, [], bias.Span, scales, yZeroPoint, y.Span), DepthwiseMinChannelsPerThread);
            return;
        }

        // The bias joins the row-constant terms (int32 addition wraps associatively: the same accumulator bits).
        var init = new int[_mgPad];
        for (int r = 0; r < _mgPad; r++)
        {
            init[r] = unchecked(_rowInit[r] + (r < Geometry.OutChannels && !bias.IsEmpty ? bias.Span[r] : 0));
        }

        int cw = PointwiseChunkColumns(parallelism.MaxThreads);
        int chunks = (OutSize + cw - 1) / cw;
        parallelism.ForRanges(chunks, (start, end) => PointwiseChunks(x.Span, image, cw, start, end, init, scales, yZeroPoint, y.Span));
    }

    private void CheckRange(int xLength, int first, int count, int accLength)
    {
        int perImage = Geometry.OutChannels * OutSize;
        if (first < 0 || count < 0 || first + count > Geometry.Batch || accLength < count * perImage
            || xLength < Geometry.Batch * Geometry.InChannels * InSize)
        {
            throw new ArgumentException("image range, input or accumulator span does not fit the geometry");
        }
    }

    /// <summary>
    /// The weights [M, K] less their zero point (one per tensor or one per output channel), truncated to
    /// <typeparamref name="TOut"/>, in rows of <paramref name="stride"/> ≥ K elements whose tail stays 0.
    /// </summary>
    private TOut[] ZeroPointSubtractedWeights<TW, TOut>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, int stride)
        where TW : unmanaged, IBinaryInteger<TW>
        where TOut : unmanaged, IBinaryInteger<TOut>
    {
        int m = Geometry.OutChannels, k = K;
        var packed = new TOut[m * stride];
        for (int oc = 0; oc < m; oc++)
        {
            int zp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
            for (int t = 0; t < k; t++)
            {
                packed[(oc * stride) + t] = TOut.CreateTruncating(int.CreateTruncating(w[(oc * k) + t]) - zp);
            }
        }

        return packed;
    }

    /// <summary>
    /// One call's scratch buffers, rented from the shared pools (so a cached core is safe to share between threads and
    /// runs, and large convs do not allocate per call). Rented arrays may be longer than asked and hold stale data:
    /// each route clears or fills what it relies on.
    /// </summary>
    private sealed class Workspace
    {
        public byte[] XBytes { get; init; } = [];

        public byte[] Col { get; init; } = [];

        public int[] GemmOut { get; init; } = [];

        public int[] Plane { get; init; } = [];

        public int[] Wide { get; init; } = [];

        public short[] ColT { get; init; } = [];

        public short[] XPadded { get; init; } = [];

        public static T[] Rent<T>(int length, bool clear)
        {
            T[] a = ArrayPool<T>.Shared.Rent(Math.Max(length, 1));
            if (clear)
            {
                Array.Clear(a);
            }

            return a;
        }

        public void Return()
        {
            Give(XBytes);
            Give(Col);
            Give(GemmOut);
            Give(Plane);
            Give(Wide);
            Give(ColT);
            Give(XPadded);
        }

        private static void Give<T>(T[] a)
        {
            if (a.Length > 0)
            {
                ArrayPool<T>.Shared.Return(a);
            }
        }
    }

    /// <summary>Offset of kernel tap (z, y, x) from the tap (0, 0, 0) in a zero-point-bordered input plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int KernelTapOffset(int z, int y, int x) => (((z * _d[0] * _padded[1]) + (y * _d[1])) * _padded[2]) + (x * _d[2]);

    /// <summary>Offset of input row (d, h)'s first pixel in a zero-point-bordered input plane (inside the leading pads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PaddedRowStart(int d, int h) => ((((d + _p[0]) * _padded[1]) + h + _p[1]) * _padded[2]) + _p[2];
}
