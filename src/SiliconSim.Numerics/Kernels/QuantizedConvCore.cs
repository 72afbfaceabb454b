using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The accumulator stage of integer convolutions (ConvInteger, QLinearConv): exact wrapping int32
/// <c>Σ (x − x_zp)(w − w_zp[oc])</c> per output, with padding taps contributing 0 (ORT pads the input with x_zero_point,
/// qlinearconv.cc). Spatial ranks 1..3 are handled by padding the geometry to three dims with extent 1. Three
/// interchangeable routes, all exact (int32 addition wraps associatively, so the summation order is free):
/// <list type="bullet">
/// <item>depthwise (one input channel per group, stride 1): a direct kernel, <see cref="DepthwiseWideKernel"/>;</item>
/// <item>AVX-VNNI: im2col of raw u8 codes into K quads and <see cref="U8S8Gemm"/>, with the zero points applied by the
/// exact expansion Σ x'w' − w_zp'·Σ x' − x_zp'·Σ w' + K·x_zp'·w_zp' (s8 inputs are moved to u8 and u8 weights to s8 by
/// flipping the top bit, which shifts the matching zero point by 128);</item>
/// <item>otherwise: im2col of zero-point-subtracted int16 and <see cref="IntGemm"/>.</item>
/// </list>
/// </summary>
internal sealed class QuantizedConvCore
{
    // About 256 GEMM columns per chunk of images: enough to fill the micro-kernel's 16-column blocks when an image
    // has few output pixels, small enough that the K×N byte panel stays in L2.
    private const int ChunkColumns = 256;

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

    // int16 route
    private short[] _packedW = [];
    private readonly short[] _colT = [];
    private readonly short[] _xPadded = [];

    // u8s8 route
    private int[] _wq = [];
    private int[] _rowInit = [];
    private int[] _wzpAdjusted = [];
    private readonly int[] _tapOffsets = [];
    private readonly byte[] _xBytes = [];
    private readonly byte[] _col = [];
    private int[] _gemmOut = [];
    private bool _colSums;
    private readonly int _kq;
    private readonly bool _channelQuads;
    private int _mgPad;
    private readonly int _nPad;
    private readonly int _ldb;

    // depthwise route
    private int[] _dwWeights = [];
    private readonly int[] _dwOffsets = [];
    private readonly int[] _plane = [];
    private readonly int[] _wide = [];
    private readonly int _wideCount;

    private readonly int _xZeroPoint;
    private readonly bool _xSigned;

    private enum Route
    {
        Int16Gemm,
        U8S8Gemm,
        Depthwise,
    }

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
        int ph = _padded[1], pw = _padded[2];
        if (_channelsPerGroup == 1 && g.Group > 1 && _s[0] == 1 && _s[1] == 1 && _s[2] == 1)
        {
            _route = Route.Depthwise;
            _dwOffsets = new int[g.KernelSize];
            int t = 0;
            for (int z = 0; z < _k[0]; z++)
            {
                for (int y = 0; y < _k[1]; y++)
                {
                    for (int x = 0; x < _k[2]; x++, t++)
                    {
                        _dwOffsets[t] = (((z * _d[0] * ph) + (y * _d[1])) * pw) + (x * _d[2]);
                    }
                }
            }

            _wideCount = OutSize == 0 ? 0 : (((((_out[0] - 1) * ph) + _out[1] - 1) * pw) + _out[2]);
            int widePad = (_wideCount + 7) & ~7;
            _wide = new int[widePad];
            _plane = new int[Math.Max(_planePadded, widePad + _dwOffsets.Max())];
        }
        else if (u8s8)
        {
            _route = Route.U8S8Gemm;
            // With a multiple of 4 channels per group, a K quad is four channels at one tap and the byte planes are
            // stored channels-interleaved ([C/4, spatial, 4]), so each quad's row of pixels is one contiguous run.
            _channelQuads = _channelsPerGroup % 4 == 0;
            int ks = g.KernelSize;
            _kq = _channelQuads ? _channelsPerGroup / 4 * ks : (K + 3) / 4;
            _tapOffsets = new int[_channelQuads ? _kq : _kq * 4];
            int t = 0;
            for (int c = 0; c < (_channelQuads ? _channelsPerGroup / 4 : _channelsPerGroup); c++)
            {
                for (int z = 0; z < _k[0]; z++)
                {
                    for (int y = 0; y < _k[1]; y++)
                    {
                        for (int x = 0; x < _k[2]; x++, t++)
                        {
                            int tap = (c * _planePadded) + (((z * _d[0] * ph) + (y * _d[1])) * pw) + (x * _d[2]);
                            _tapOffsets[t] = _channelQuads ? tap * 4 : tap;
                        }
                    }
                }
            }

            // The taps past K read tap 0 (any valid byte): their weights are 0, and the column-sum row masks them.
            _nPad = ((ImagesPerChunk * OutSize) + U8S8Gemm.ColumnBlock - 1) / U8S8Gemm.ColumnBlock * U8S8Gemm.ColumnBlock;
            // +16 columns: im2col stores 16 pixels at a time and may spill up to 15 past the last one.
            _ldb = _nPad + 16;
            _col = new byte[_kq * 4 * _ldb];
            // +64 bytes: im2col loads 16 or 32 bytes per tap row and may read past the last one.
            _xBytes = new byte[(_channelsPerGroup * _planePadded) + 64];
            Array.Fill(_xBytes, (byte)(xZeroPoint + (xSigned ? 128 : 0)));
        }
        else
        {
            _route = Route.Int16Gemm;
            KStride = IntGemm.PaddedK(K);
            // +4 slack for the 8-byte moves of the last output position (FillColumnsShortRows).
            _colT = new short[(OutSize * KStride) + 4];
            // +4 slack: the kw ≤ 4 fast path reads four int16 at a time and may run past the last row.
            _xPadded = new short[(_channelsPerGroup * _planePadded) + 4];
        }

    }

    public ConvGeometry Geometry { get; }

    /// <summary>Reduction length per group: channels per group × kernel size.</summary>
    public int K { get; }

    /// <summary>The int16 route's padded K stride (0 on the other routes).</summary>
    public int KStride { get; }

    public int OutSize { get; }

    public int InSize { get; }

    /// <summary>How many images <see cref="Accumulate{TX}"/> should be given at a time (the acc buffer size).</summary>
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
        var core = new QuantizedConvCore(g, xZeroPoint, xSigned, U8S8Gemm.IsAccelerated && eightBit && xAdjusted is >= 0 and <= 255);
        switch (core._route)
        {
            case Route.Depthwise: core.PackDepthwise(w, wZeroPoints); break;
            case Route.U8S8Gemm: core.PackU8S8(w, wZeroPoints, xAdjusted); break;
            default: core.PackInt16(w, wZeroPoints); break;
        }

        return core;
    }

    /// <summary>
    /// Exact int32 accumulators of images <paramref name="first"/>..first+count−1:
    /// <paramref name="acc"/>[(b·M + oc)·OutSize + p] = Σ (x − x_zp)(w − w_zp[oc]) for image first + b.
    /// </summary>
    public void Accumulate<TX>(ReadOnlySpan<TX> x, int first, int count, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int perImage = Geometry.OutChannels * OutSize;
        if (first < 0 || count < 0 || first + count > Geometry.Batch || acc.Length < count * perImage
            || x.Length < Geometry.Batch * Geometry.InChannels * InSize)
        {
            throw new ArgumentException("image range, input or accumulator span does not fit the geometry");
        }

        switch (_route)
        {
            case Route.Depthwise:
                for (int b = 0; b < count; b++)
                {
                    DepthwiseImage(x, first + b, acc.Slice(b * perImage, perImage));
                }

                break;
            case Route.U8S8Gemm:
                for (int gi = 0; gi < Geometry.Group; gi++)
                {
                    U8S8Group(x, first, count, gi, acc);
                }

                break;
            default:
                for (int b = 0; b < count; b++)
                {
                    Int16Image(x, first + b, acc.Slice(b * perImage, perImage));
                }

                break;
        }
    }

    private void PackInt16<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int m = Geometry.OutChannels, k = K;
        _packedW = new short[m * KStride];
        for (int oc = 0; oc < m; oc++)
        {
            int zp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
            ReadOnlySpan<TW> src = w.Slice(oc * k, k);
            Span<short> dst = _packedW.AsSpan(oc * KStride, k);
            for (int t = 0; t < k; t++)
            {
                dst[t] = (short)(int.CreateTruncating(src[t]) - zp);
            }
        }
    }

    private void PackDepthwise<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int m = Geometry.OutChannels, k = K;
        _dwWeights = new int[m * k];
        for (int oc = 0; oc < m; oc++)
        {
            int zp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
            for (int t = 0; t < k; t++)
            {
                _dwWeights[(oc * k) + t] = int.CreateTruncating(w[(oc * k) + t]) - zp;
            }
        }
    }

    // Weights as s8 (u8 codes flipped: w − 128, zero point − 128), four per int, rows padded to the micro-kernel's row
    // block with zeros. When some adjusted weight zero point is not 0, one extra row of ones (taps < K) yields the
    // column sums Σ x' for the w_zp'·Σ x' term. Every int32 step wraps, like the accumulator it corrects.
    private void PackU8S8<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, int xAdjusted)
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int m = Geometry.OutChannels, mg = _filtersPerGroup, k = K, kq = _kq, ks = Geometry.KernelSize;
        bool wUnsigned = !TW.IsNegative(TW.CreateTruncating(-1));
        _wzpAdjusted = new int[m];
        for (int oc = 0; oc < m; oc++)
        {
            _wzpAdjusted[oc] = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc] - (wUnsigned ? 128 : 0);
            _colSums |= _wzpAdjusted[oc] != 0;
        }

        int rows = mg + (_colSums ? 1 : 0);
        _mgPad = (rows + U8S8Gemm.RowBlock - 1) / U8S8Gemm.RowBlock * U8S8Gemm.RowBlock;
        _wq = new int[Geometry.Group * _mgPad * kq];
        _rowInit = new int[Geometry.Group * _mgPad];
        _gemmOut = new int[_mgPad * _nPad];
        Span<byte> quad = stackalloc byte[4];
        for (int gi = 0; gi < Geometry.Group; gi++)
        {
            for (int r = 0; r < rows; r++)
            {
                int oc = (gi * mg) + r;
                int sum = 0;
                for (int q = 0; q < kq; q++)
                {
                    for (int e = 0; e < 4; e++)
                    {
                        // K index of quad element e: tap-major (c, kernel) order, or channel e of a channel quad.
                        int t = _channelQuads ? (((((q / ks) * 4) + e) * ks) + (q % ks)) : (q * 4) + e;
                        int v = t >= k ? 0 : r == mg ? 1 : int.CreateTruncating(w[(oc * k) + t]) - (wUnsigned ? 128 : 0);
                        sum += v;
                        quad[e] = (byte)v;
                    }

                    _wq[(((gi * _mgPad) + r) * kq) + q] = BitConverter.ToInt32(quad);
                }

                if (r < mg)
                {
                    // Σ (x' − xz')(w' − wz') = Σ x'w' − wz'·Σ x' − xz'·Σ w' + K·xz'·wz'; the last two are per row.
                    _rowInit[(gi * _mgPad) + r] = unchecked((k * xAdjusted * _wzpAdjusted[oc]) - (xAdjusted * sum));
                }
            }
        }
    }

    private void U8S8Group<TX>(ReadOnlySpan<TX> x, int first, int count, int gi, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int cg = _channelsPerGroup, mg = _filtersPerGroup, outSize = OutSize, m = Geometry.OutChannels;
        if (count * outSize == 0)
        {
            return;
        }

        for (int b = 0; b < count; b++)
        {
            int src = (((first + b) * Geometry.InChannels) + (gi * cg)) * InSize;
            if (_channelQuads)
            {
                FillChannelQuads(x.Slice(src, cg * InSize));
                Im2ColChannelQuads(b * outSize);
            }
            else
            {
                FillBytes(x.Slice(src, cg * InSize));
                Im2ColQuads(b * outSize);
            }
        }

        ReadOnlySpan<int> w = _wq.AsSpan(gi * _mgPad * _kq);
        ReadOnlySpan<int> init = _rowInit.AsSpan(gi * _mgPad);
        if (outSize % U8S8Gemm.ColumnBlock == 0 && mg == _mgPad)
        {
            // Whole vectors never straddle images and there are no padding rows: write [image, oc, pixel] directly.
            U8S8Gemm.Multiply(w, _col, init, acc[(gi * mg * outSize)..], mg, count * outSize, _kq, _ldb, outSize, outSize, m * outSize);
            return;
        }

        int n = (count * outSize) + U8S8Gemm.ColumnBlock - 1;
        n -= n % U8S8Gemm.ColumnBlock;
        U8S8Gemm.Multiply(w, _col, init, _gemmOut, _mgPad, n, _kq, _ldb, _nPad);
        ReadOnlySpan<int> sums = _colSums ? _gemmOut.AsSpan(mg * _nPad, _nPad) : [];
        for (int r = 0; r < mg; r++)
        {
            int oc = (gi * mg) + r;
            Span<int> row = _gemmOut.AsSpan(r * _nPad, count * outSize);
            int wz = _wzpAdjusted[oc];
            if (wz != 0)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = unchecked(row[j] - (wz * sums[j]));
                }
            }

            for (int b = 0; b < count; b++)
            {
                row.Slice(b * outSize, outSize).CopyTo(acc.Slice(((b * m) + oc) * outSize, outSize));
            }
        }
    }

    // The group's channels, four at a time, into channel-interleaved zero-point-bordered planes [C/4, spatial, 4]:
    // four pixels of four channels are one 4×4 byte transpose (pshufb); s8 codes move to u8 by flipping the top bit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillChannelQuads<TX>(ReadOnlySpan<TX> xg)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(xg);
        int ph = _padded[1], pw = _padded[2], w = _in[2], inSize = InSize;
        byte flip = _xSigned ? (byte)0x80 : (byte)0;
        ref byte rs = ref MemoryMarshal.GetReference(src);
        ref byte rd = ref MemoryMarshal.GetArrayDataReference(_xBytes);
        bool vector = Ssse3.IsSupported;
        Vector128<byte> transpose = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        Vector128<byte> vflip = Vector128.Create(flip);
        for (int cq = 0; cq < _channelsPerGroup / 4; cq++)
        {
            int si = cq * 4 * inSize;
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++, si += w)
                {
                    int di = ((cq * _planePadded) + (((((d + _p[0]) * ph) + h + _p[1]) * pw) + _p[2])) * 4;
                    int i = 0;
                    if (vector)
                    {
                        for (; i + 4 <= w; i += 4)
                        {
                            Vector128<byte> v = Vector128.Create(
                                Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + i)),
                                Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + inSize + i)),
                                Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + (2 * inSize) + i)),
                                Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + (3 * inSize) + i))).AsByte();
                            (Ssse3.Shuffle(v, transpose) ^ vflip).StoreUnsafe(ref rd, (nuint)(di + (i * 4)));
                        }
                    }

                    for (; i < w; i++)
                    {
                        for (int e = 0; e < 4; e++)
                        {
                            Unsafe.Add(ref rd, di + (i * 4) + e) = (byte)(Unsafe.Add(ref rs, si + (e * inSize) + i) ^ flip);
                        }
                    }
                }
            }
        }
    }

    // im2col of channel-interleaved planes: quad q's four bytes per pixel are already adjacent, so with unit width
    // stride a row of pixels is one contiguous copy (32-byte moves; the spill past a row is overwritten by the next
    // row or lands in the ldb slack).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Im2ColChannelQuads(int colBase)
    {
        ref byte xp = ref MemoryMarshal.GetArrayDataReference(_xBytes);
        ref byte col = ref MemoryMarshal.GetArrayDataReference(_col);
        int ph = _padded[1], pw = _padded[2];
        int out1 = _out[1], out2 = _out[2], s0 = _s[0], s1 = _s[1], s2 = _s[2];
        int rows = _out[0] * out1;
        int rowBytes = out2 * 4;
        int out0 = _out[0];
        // Source offset of each output row (od, oh), hoisted out of the quad loop.
        Span<int> rowStarts = rows <= 256 ? stackalloc int[rows] : new int[rows];
        for (int od = 0, r = 0; od < out0; od++)
        {
            for (int oh = 0; oh < out1; oh++, r++)
            {
                rowStarts[r] = ((od * s0 * ph) + (oh * s1)) * pw * 4;
            }
        }

        ref int rr = ref MemoryMarshal.GetReference(rowStarts);
        for (int q = 0; q < _kq; q++)
        {
            ref byte tap = ref Unsafe.Add(ref xp, _tapOffsets[q]);
            ref byte dst = ref Unsafe.Add(ref col, ((q * _ldb) + colBase) * 4);
            if (s2 == 1 && rowBytes <= 32)
            {
                // One 32-byte move per row (rows of up to 8 pixels); the spill is overwritten by the next row.
                for (int r = 0; r < rows; r++, dst = ref Unsafe.Add(ref dst, rowBytes))
                {
                    Vector256.LoadUnsafe(ref Unsafe.Add(ref tap, Unsafe.Add(ref rr, r))).StoreUnsafe(ref dst);
                }

                continue;
            }

            for (int r = 0; r < rows; r++, dst = ref Unsafe.Add(ref dst, rowBytes))
            {
                ref byte srcRow = ref Unsafe.Add(ref tap, Unsafe.Add(ref rr, r));
                if (s2 == 1)
                {
                    for (int o = 0; o < rowBytes; o += 32)
                    {
                        Vector256.LoadUnsafe(ref srcRow, (nuint)o).StoreUnsafe(ref dst, (nuint)o);
                    }
                }
                else
                {
                    for (int ow = 0; ow < out2; ow++)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, ow * 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref srcRow, ow * s2 * 4)));
                    }
                }
            }
        }
    }

    // The group's channels into the zero-point-bordered byte planes; s8 codes move to u8 by flipping the top bit.
    // Image rows are short (often 4 or 8 bytes), so they move in 8-byte words and bytes rather than through memmove.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillBytes<TX>(ReadOnlySpan<TX> xg)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(xg);
        int ph = _padded[1], pw = _padded[2], w = _in[2];
        ulong flip = _xSigned ? 0x8080808080808080UL : 0;
        ref byte rs = ref MemoryMarshal.GetReference(src);
        ref byte rd = ref MemoryMarshal.GetArrayDataReference(_xBytes);
        int si = 0;
        for (int c = 0; c < _channelsPerGroup; c++)
        {
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++, si += w)
                {
                    int di = (c * _planePadded) + (((((d + _p[0]) * ph) + h + _p[1]) * pw) + _p[2]);
                    int i = 0;
                    for (; i + 8 <= w; i += 8)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref rd, di + i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rs, si + i)) ^ flip);
                    }

                    for (; i < w; i++)
                    {
                        Unsafe.Add(ref rd, di + i) = (byte)(Unsafe.Add(ref rs, si + i) ^ (byte)flip);
                    }
                }
            }
        }
    }

    // im2col into K quads: for quad q and column j = colBase + pixel, the four tap bytes sit at _col[(q·ldb + j)·4].
    // With unit width stride each tap row is contiguous, so four 16-pixel loads interleave (punpck) into 16 columns.
    // Output rows of exactly 4 or 8 pixels are gathered 4 or 2 rows per load, so no lane is wasted. The 64-byte
    // stores may spill up to 15 columns past the last pixel; later rows (and images) overwrite the spill, and the
    // last spill lands in the ldb slack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Im2ColQuads(int colBase)
    {
        ref byte xp = ref MemoryMarshal.GetArrayDataReference(_xBytes);
        ref byte col = ref MemoryMarshal.GetArrayDataReference(_col);
        int ph = _padded[1], pw = _padded[2];
        int out1 = _out[1], out2 = _out[2], s0 = _s[0], s1 = _s[1], s2 = _s[2];
        int rows = _out[0] * out1;
        bool vector = s2 == 1 && Sse2.IsSupported;
        int rowsPerLoad = !vector ? 1 : out2 == 4 ? 4 : out2 == 8 ? 2 : 1;
        Span<int> rowOffsets = stackalloc int[4];
        for (int q = 0; q < _kq; q++)
        {
            int o0 = _tapOffsets[4 * q], o1 = _tapOffsets[(4 * q) + 1], o2 = _tapOffsets[(4 * q) + 2], o3 = _tapOffsets[(4 * q) + 3];
            ref byte dstQ = ref Unsafe.Add(ref col, ((q * _ldb) + colBase) * 4);
            int r = 0;
            if (rowsPerLoad > 1)
            {
                for (; r + rowsPerLoad <= rows; r += rowsPerLoad)
                {
                    for (int i = 0; i < rowsPerLoad; i++)
                    {
                        int od = (r + i) / out1, oh = (r + i) - (od * out1);
                        rowOffsets[i] = ((od * s0 * ph) + (oh * s1)) * pw;
                    }

                    ref byte o = ref Unsafe.Add(ref dstQ, r * out2 * 4);
                    if (rowsPerLoad == 4)
                    {
                        Interleave4(Gather4x4(ref xp, o0, rowOffsets), Gather4x4(ref xp, o1, rowOffsets), Gather4x4(ref xp, o2, rowOffsets), Gather4x4(ref xp, o3, rowOffsets), ref o);
                    }
                    else
                    {
                        Interleave4(Gather2x8(ref xp, o0, rowOffsets), Gather2x8(ref xp, o1, rowOffsets), Gather2x8(ref xp, o2, rowOffsets), Gather2x8(ref xp, o3, rowOffsets), ref o);
                    }
                }
            }

            for (; r < rows; r++)
            {
                int od = r / out1, oh = r - (od * out1);
                int row = ((od * s0 * ph) + (oh * s1)) * pw;
                ref byte dst = ref Unsafe.Add(ref dstQ, r * out2 * 4);
                if (vector)
                {
                    for (int ow = 0; ow < out2; ow += 16)
                    {
                        Interleave4(
                            Vector128.LoadUnsafe(ref xp, (nuint)(o0 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o1 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o2 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o3 + row + ow)),
                            ref Unsafe.Add(ref dst, ow * 4));
                    }
                }
                else
                {
                    for (int ow = 0; ow < out2; ow++)
                    {
                        int src = row + (ow * s2);
                        ref byte o = ref Unsafe.Add(ref dst, ow * 4);
                        o = Unsafe.Add(ref xp, o0 + src);
                        Unsafe.Add(ref o, 1) = Unsafe.Add(ref xp, o1 + src);
                        Unsafe.Add(ref o, 2) = Unsafe.Add(ref xp, o2 + src);
                        Unsafe.Add(ref o, 3) = Unsafe.Add(ref xp, o3 + src);
                    }
                }
            }
        }
    }

    // Sixteen pixels of four taps a, b, c, d into 64 bytes a0 b0 c0 d0 a1 b1 c1 d1 ...
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, Vector128<byte> d, ref byte o)
    {
        Vector128<ushort> abLo = Sse2.UnpackLow(a, b).AsUInt16(), abHi = Sse2.UnpackHigh(a, b).AsUInt16();
        Vector128<ushort> cdLo = Sse2.UnpackLow(c, d).AsUInt16(), cdHi = Sse2.UnpackHigh(c, d).AsUInt16();
        Sse2.UnpackLow(abLo, cdLo).AsByte().StoreUnsafe(ref o);
        Sse2.UnpackHigh(abLo, cdLo).AsByte().StoreUnsafe(ref o, 16);
        Sse2.UnpackLow(abHi, cdHi).AsByte().StoreUnsafe(ref o, 32);
        Sse2.UnpackHigh(abHi, cdHi).AsByte().StoreUnsafe(ref o, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Gather4x4(ref byte xp, int tap, ReadOnlySpan<int> rows) => Vector128.Create(
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[0])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[1])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[2])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[3]))).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Gather2x8(ref byte xp, int tap, ReadOnlySpan<int> rows) => Vector128.Create(
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xp, tap + rows[0])),
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xp, tap + rows[1]))).AsByte();

    // One input channel per group, unit strides: per channel plane, the wide-grid direct kernel for each of its filters.
    // The plane, wide buffer and offsets were sized in the constructor for DepthwiseWideKernel's contract.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DepthwiseImage<TX>(ReadOnlySpan<TX> x, int image, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int ph = _padded[1], pw = _padded[2], w = _in[2], k = K, mg = _filtersPerGroup, outSize = OutSize;
        int out0 = _out[0], out1 = _out[1], out2 = _out[2];
        int xz = _xZeroPoint;
        int widePad = (_wideCount + 7) & ~7;
        bool vector = Vector256.IsHardwareAccelerated;
        bool bytes = Unsafe.SizeOf<TX>() == 1 && Vector128.IsHardwareAccelerated;
        bool signed = _xSigned;
        Vector128<int> vxz = Vector128.Create(xz);
        ref TX rx = ref MemoryMarshal.GetReference(x);
        ref int rp = ref MemoryMarshal.GetArrayDataReference(_plane);
        ref int rw = ref MemoryMarshal.GetArrayDataReference(_wide);
        ref int ra = ref MemoryMarshal.GetReference(acc);
        ref int rk = ref MemoryMarshal.GetArrayDataReference(_dwWeights);
        ref int ro = ref MemoryMarshal.GetArrayDataReference(_dwOffsets);
        int si = image * Geometry.InChannels * InSize;
        for (int c = 0; c < Geometry.InChannels; c++)
        {
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++, si += w)
                {
                    ref int dst = ref Unsafe.Add(ref rp, ((((d + _p[0]) * ph) + h + _p[1]) * pw) + _p[2]);
                    int i = 0;
                    if (bytes)
                    {
                        // Four 8-bit codes widened to int32 (sign- or zero-extended as TX) minus x_zp.
                        for (; i + 4 <= w; i += 4)
                        {
                            Vector128<byte> v = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref Unsafe.As<TX, byte>(ref Unsafe.Add(ref rx, si + i)))).AsByte();
                            Vector128<int> wide = signed
                                ? Vector128.WidenLower(Vector128.WidenLower(v.AsSByte())) - vxz
                                : Vector128.WidenLower(Vector128.WidenLower(v)).AsInt32() - vxz;
                            wide.StoreUnsafe(ref Unsafe.Add(ref dst, i));
                        }
                    }

                    for (; i < w; i++)
                    {
                        Unsafe.Add(ref dst, i) = int.CreateTruncating(Unsafe.Add(ref rx, si + i)) - xz;
                    }
                }
            }

            for (int r = 0; r < mg; r++)
            {
                int oc = (c * mg) + r;
                if (vector)
                {
                    DepthwiseWideKernel.AccumulateVectors(ref rp, ref Unsafe.Add(ref rk, oc * k), ref ro, ref rw, k, widePad);
                }
                else
                {
                    DepthwiseWideKernel.Accumulate(_plane, _dwWeights.AsSpan(oc * k, k), _dwOffsets, _wide, _wideCount);
                }

                ref int o = ref Unsafe.Add(ref ra, oc * outSize);
                for (int od = 0; od < out0; od++)
                {
                    for (int oh = 0; oh < out1; oh++)
                    {
                        ref int src = ref Unsafe.Add(ref rw, ((od * ph) + oh) * pw);
                        int ow = 0;
                        for (; ow + 4 <= out2; ow += 4)
                        {
                            Vector128.LoadUnsafe(ref src, (nuint)ow).StoreUnsafe(ref o, (nuint)ow);
                        }

                        for (; ow < out2; ow++)
                        {
                            Unsafe.Add(ref o, ow) = Unsafe.Add(ref src, ow);
                        }

                        o = ref Unsafe.Add(ref o, out2);
                    }
                }
            }
        }
    }

    /// <summary>The int16 route for one image: im2col of x − x_zp per group and <see cref="IntGemm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Int16Image<TX>(ReadOnlySpan<TX> x, int image, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int cg = _channelsPerGroup;
        int imageBase = image * Geometry.InChannels * InSize;
        for (int gi = 0; gi < Geometry.Group; gi++)
        {
            FillColumns(x.Slice(imageBase + (gi * cg * InSize), cg * InSize), _xZeroPoint);
            IntGemm.MultiplyTransposed(
                _packedW.AsSpan(gi * _filtersPerGroup * KStride, _filtersPerGroup * KStride),
                _colT,
                acc.Slice(gi * _filtersPerGroup * OutSize),
                _filtersPerGroup,
                OutSize,
                KStride,
                OutSize);
        }
    }

    // One row of K values per output position, in the weights' (c, kd, kh, kw) order; the K..KStride tail stays 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillColumns<TX>(ReadOnlySpan<TX> xg, int xZeroPoint)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int pd = _padded[0], ph = _padded[1], pw = _padded[2];
        int planePadded = pd * ph * pw;
        for (int c = 0; c < _channelsPerGroup; c++)
        {
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++)
                {
                    ReadOnlySpan<TX> src = xg.Slice((c * InSize) + (((d * _in[1]) + h) * _in[2]), _in[2]);
                    Span<short> dst = _xPadded.AsSpan((c * planePadded) + (((((d + _p[0]) * ph) + h + _p[1]) * pw) + _p[2]), _in[2]);
                    for (int w = 0; w < src.Length; w++)
                    {
                        dst[w] = (short)(int.CreateTruncating(src[w]) - xZeroPoint);
                    }
                }
            }
        }

        ref short xp = ref MemoryMarshal.GetArrayDataReference(_xPadded);
        ref short col = ref MemoryMarshal.GetArrayDataReference(_colT);
        int d2 = _d[2];
        int kd = _k[0], kh = _k[1], kw = _k[2];
        int ow0 = _out[2], s2 = _s[2], ks = KStride;
        if (kw <= 4 && d2 == 1)
        {
            FillColumnsShortRows(ref xp, ref col, planePadded, ph, pw);
            return;
        }

        int t = 0;
        // Tap-major order: for each tap (c, z, y, x) walk all output positions, so the innermost loop runs over a
        // whole output row with hoisted index arithmetic.
        for (int c = 0; c < _channelsPerGroup; c++)
        {
            for (int z = 0; z < kd; z++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++, t++)
                    {
                        int p = 0;
                        for (int od = 0; od < _out[0]; od++)
                        {
                            int id = (od * _s[0]) + (z * _d[0]);
                            for (int oh = 0; oh < _out[1]; oh++, p += ow0)
                            {
                                int ih = (oh * _s[1]) + (y * _d[1]);
                                int b = (c * planePadded) + (((id * ph) + ih) * pw) + (x * d2);
                                ref short d = ref Unsafe.Add(ref col, (p * ks) + t);
                                ref short src = ref Unsafe.Add(ref xp, b);
                                for (int ow = 0; ow < ow0; ow++)
                                {
                                    d = src;
                                    d = ref Unsafe.Add(ref d, ks);
                                    src = ref Unsafe.Add(ref src, s2);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Pixel-major im2col for kernel rows of at most 4 contiguous taps: each (c, z, y) run is one 8-byte move. A move
    // may spill up to 3 values past its run; the next run overwrites them, and the spill past the last run (into the
    // K..KStride tail, which must stay 0) is cleared afterwards.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillColumnsShortRows(ref short xp, ref short col, int planePadded, int ph, int pw)
    {
        int kd = _k[0], kh = _k[1], kw = _k[2];
        int s0 = _s[0], s1 = _s[1], s2 = _s[2], d0 = _d[0], d1 = _d[1];
        int out0 = _out[0], out1 = _out[1], out2 = _out[2], cg = _channelsPerGroup;
        int ks = KStride, k = K;
        int spill = Math.Min(4 - kw, ks - k);
        int p = 0;
        for (int od = 0; od < out0; od++)
        {
            for (int oh = 0; oh < out1; oh++)
            {
                for (int ow = 0; ow < out2; ow++, p++)
                {
                    ref byte dst = ref Unsafe.As<short, byte>(ref Unsafe.Add(ref col, p * ks));
                    int t = 0;
                    for (int c = 0; c < cg; c++)
                    {
                        for (int z = 0; z < kd; z++)
                        {
                            int rowBase = (c * planePadded) + ((((od * s0) + (z * d0)) * ph) + (oh * s1)) * pw + (ow * s2);
                            for (int y = 0; y < kh; y++, t += kw)
                            {
                                long four = Unsafe.ReadUnaligned<long>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref xp, rowBase + (y * d1 * pw))));
                                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, t * sizeof(short)), four);
                            }
                        }
                    }

                    for (int z = 0; z < spill; z++)
                    {
                        Unsafe.Add(ref col, (p * ks) + k + z) = 0;
                    }
                }
            }
        }
    }
}
