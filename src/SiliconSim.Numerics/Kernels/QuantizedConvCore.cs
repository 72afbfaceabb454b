using System.Numerics;

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
        _colT = new short[OutSize * kStride];
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
    private void FillColumns<TX>(ReadOnlySpan<TX> xg, int xZeroPoint)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int inHW = _in[1] * _in[2];
        int p = 0;
        for (int od = 0; od < _out[0]; od++)
        {
            for (int oh = 0; oh < _out[1]; oh++)
            {
                for (int ow = 0; ow < _out[2]; ow++, p++)
                {
                    Span<short> row = _colT.AsSpan(p * KStride, K);
                    int t = 0;
                    for (int c = 0; c < _channelsPerGroup; c++)
                    {
                        int cBase = c * InSize;
                        for (int kd = 0; kd < _k[0]; kd++)
                        {
                            int id = (od * _s[0]) - _p[0] + (kd * _d[0]);
                            bool vd = (uint)id < (uint)_in[0];
                            for (int kh = 0; kh < _k[1]; kh++)
                            {
                                int ih = (oh * _s[1]) - _p[1] + (kh * _d[1]);
                                bool vh = vd && (uint)ih < (uint)_in[1];
                                int rowBase = cBase + (id * inHW) + (ih * _in[2]);
                                for (int kw = 0; kw < _k[2]; kw++, t++)
                                {
                                    int iw = (ow * _s[2]) - _p[2] + (kw * _d[2]);
                                    row[t] = vh && (uint)iw < (uint)_in[2]
                                        ? (short)(int.CreateTruncating(xg[rowBase + iw]) - xZeroPoint)
                                        : (short)0;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
