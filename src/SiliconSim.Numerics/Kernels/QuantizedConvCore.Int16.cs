using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SiliconSim.Numerics.Kernels;

// The portable route: im2col of zero-point-subtracted int16 and IntGemm.
internal sealed partial class QuantizedConvCore
{
    private short[] _packedW = [];

    // The padded K stride.
    private void InitInt16() => KStride = IntGemm.PaddedK(K);

    // The im2col rows (+4 slack for the 8-byte moves of the last output position, FillColumnsShortRows; the K..KStride
    // tail must be 0) and the zero-bordered input (+4 slack: the kw ≤ 4 fast path reads four int16 at a time and may
    // run past the last row), both cleared.
    private Workspace RentInt16() => new()
    {
        ColT = Workspace.Rent<short>((OutSize * KStride) + 4, clear: true),
        XPadded = Workspace.Rent<short>((_channelsPerGroup * _planePadded) + 4, clear: true),
    };

    private void PackInt16<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TW : unmanaged, IBinaryInteger<TW>
        => _packedW = ZeroPointSubtractedWeights<TW, short>(w, wZeroPoints, KStride);

    /// <summary>The int16 route for one image: im2col of x − x_zp per group and <see cref="IntGemm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Int16Image<TX>(ReadOnlySpan<TX> x, int image, Span<int> acc, Workspace ws)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int cg = _channelsPerGroup;
        int imageBase = image * Geometry.InChannels * InSize;
        for (int gi = 0; gi < Geometry.Group; gi++)
        {
            FillColumns(x.Slice(imageBase + (gi * cg * InSize), cg * InSize), _xZeroPoint, ws);
            IntGemm.MultiplyTransposed(
                _packedW.AsSpan(gi * _filtersPerGroup * KStride, _filtersPerGroup * KStride),
                ws.ColT,
                acc.Slice(gi * _filtersPerGroup * OutSize),
                _filtersPerGroup,
                OutSize,
                KStride,
                OutSize);
        }
    }

    // One row of K values per output position, in the weights' (c, kd, kh, kw) order; the K..KStride tail stays 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillColumns<TX>(ReadOnlySpan<TX> xg, int xZeroPoint, Workspace ws)
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
                    Span<short> dst = ws.XPadded.AsSpan((c * planePadded) + PaddedRowStart(d, h), _in[2]);
                    for (int w = 0; w < src.Length; w++)
                    {
                        dst[w] = (short)(int.CreateTruncating(src[w]) - xZeroPoint);
                    }
                }
            }
        }

        ref short xp = ref MemoryMarshal.GetArrayDataReference(ws.XPadded);
        ref short col = ref MemoryMarshal.GetArrayDataReference(ws.ColT);
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
