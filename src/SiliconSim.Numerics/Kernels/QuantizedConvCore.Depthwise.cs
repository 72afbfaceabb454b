using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SiliconSim.Numerics.Kernels;

// The depthwise route: one input channel per group and unit strides, a direct kernel per channel plane
// (DepthwiseWideKernel) with no im2col.
internal sealed partial class QuantizedConvCore
{
    private int[] _dwWeights = [];
    private int[] _dwOffsets = [];
    private int[] _plane = [];
    private int[] _wide = [];
    private int _wideCount;

    // The kernel's tap offsets in the bordered plane, and the wide-grid buffers sized for DepthwiseWideKernel's contract.
    private void InitDepthwise()
    {
        int ph = _padded[1], pw = _padded[2];
        _dwOffsets = new int[Geometry.KernelSize];
        int t = 0;
        for (int z = 0; z < _k[0]; z++)
        {
            for (int y = 0; y < _k[1]; y++)
            {
                for (int x = 0; x < _k[2]; x++, t++)
                {
                    _dwOffsets[t] = KernelTapOffset(z, y, x);
                }
            }
        }

        _wideCount = OutSize == 0 ? 0 : (((((_out[0] - 1) * ph) + _out[1] - 1) * pw) + _out[2]);
        int widePad = (_wideCount + 7) & ~7;
        _wide = new int[widePad];
        _plane = new int[Math.Max(_planePadded, widePad + _dwOffsets.Max())];
    }

    private void PackDepthwise<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TW : unmanaged, IBinaryInteger<TW>
        => _dwWeights = ZeroPointSubtractedWeights<TW, int>(w, wZeroPoints, K);

    // One input channel per group, unit strides: per channel plane, the wide-grid direct kernel for each of its filters.
    // The plane, wide buffer and offsets were sized by InitDepthwise for DepthwiseWideKernel's contract.
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
                    ref int dst = ref Unsafe.Add(ref rp, PaddedRowStart(d, h));
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
}
