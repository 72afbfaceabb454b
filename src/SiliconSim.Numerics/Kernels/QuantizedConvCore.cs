using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// im2col + <see cref="IntGemm"/> for integer convolutions (ConvInteger, QLinearConv). Spatial ranks 1..3 are handled
/// by padding the geometry to three dims with extent 1. Padding positions contribute 0 after zero-point subtraction,
/// which is what ORT gets by padding the input with x_zero_point (qlinearconv.cc).
/// </summary>
internal sealed class QuantizedConvCore
{
    private readonly int[] _in = new int[3];
    private readonly int[] _k = new int[3];
    private readonly int[] _out = new int[3];
    private readonly int[] _s = new int[3];
    private readonly int[] _d = new int[3];
    private readonly int[] _p = new int[3];
    private readonly short[] _packedW;
    private readonly short[] _colT;
    private readonly int[] _padded = new int[3];
    private readonly short[] _xPadded;
    private readonly int _channelsPerGroup;
    private readonly int _filtersPerGroup;

    private QuantizedConvCore(ConvGeometry g, short[] packedW, int k, int kStride)
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
        }

        _packedW = packedW;
        K = k;
        KStride = kStride;
        _channelsPerGroup = g.InChannels / g.Group;
        _filtersPerGroup = g.OutChannels / g.Group;
        OutSize = _out[0] * _out[1] * _out[2];
        InSize = _in[0] * _in[1] * _in[2];
        // +4 slack for the 8-byte moves of the last output position (FillColumnsShortRows).
        _colT = new short[(OutSize * kStride) + 4];
        // Every conv tap lies in [-padBegin, in + padEnd) (floor output extents), so one zero-bordered copy of the
        // zero-point-subtracted group input lets im2col run without bounds checks. The border stays 0.
        for (int i = 0; i < 3; i++)
        {
            int src = i - (3 - rank);
            _padded[i] = _in[i] + _p[i] + (src >= 0 ? g.PadsEnd[src] : 0);
        }

        // +4 slack: the kw ≤ 4 fast path reads four int16 at a time and may run past the last row.
        _xPadded = new short[(_channelsPerGroup * _padded[0] * _padded[1] * _padded[2]) + 4];
    }

    public ConvGeometry Geometry { get; }

    /// <summary>Reduction length per group: channels per group × kernel size.</summary>
    public int K { get; }

    public int KStride { get; }

    public int OutSize { get; }

    public int InSize { get; }

    /// <summary>Validates the weight layout [M, C/group, k...] and packs w − w_zp[oc] as int16 rows.</summary>
    public static QuantizedConvCore Create<TW>(ConvGeometry g, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
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

        int kStride = IntGemm.PaddedK(k);
        var packed = new short[m * kStride];
        for (int oc = 0; oc < m; oc++)
        {
            int zp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
            ReadOnlySpan<TW> src = w.Slice(oc * k, k);
            Span<short> dst = packed.AsSpan(oc * kStride, k);
            for (int t = 0; t < k; t++)
            {
                dst[t] = (short)(int.CreateTruncating(src[t]) - zp);
            }
        }

        return new QuantizedConvCore(g, packed, k, kStride);
    }

    /// <summary>
    /// Exact int32 accumulators of one image: <paramref name="acc"/>[oc·OutSize + p] = Σ (x − x_zp)(w − w_zp[oc]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Image<TX>(ReadOnlySpan<TX> x, int image, int xZeroPoint, Span<int> acc)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int cg = _channelsPerGroup;
        int imageBase = image * Geometry.InChannels * InSize;
        for (int gi = 0; gi < Geometry.Group; gi++)
        {
            FillColumns(x.Slice(imageBase + (gi * cg * InSize), cg * InSize), xZeroPoint);
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
