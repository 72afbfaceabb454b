using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

// The depthwise route: one input channel per group, depth stride 1 and row/column strides up to 2, a direct kernel
// per channel plane (DepthwiseWideKernel) with no im2col. With unit strides one wide grid covers the whole plane; with
// stride 2 each output row is its own stride-1 run over the input row it reads, and every s-th column is kept.
internal sealed partial class QuantizedConvCore
{
    private int[] _dwWeights = [];
    private int[] _dwOffsets = [];
    private int _wideCount;
    private int _planeLength;
    private int _rowWide;

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

        int maxOff = _dwOffsets.Max();
        if (UnitStride)
        {
            _wideCount = OutSize == 0 ? 0 : (((((_out[0] - 1) * ph) + _out[1] - 1) * pw) + _out[2]);
            _planeLength = Math.Max(_planePadded, ((_wideCount + 7) & ~7) + maxOff);
            return;
        }

        // Per output row: the stride-1 run from its first to its last tap column, rounded up to whole vectors.
        _rowWide = ((((_out[2] - 1) * _s[2]) + 1) + 7) & ~7;
        _wideCount = _rowWide;
        int lastRow = OutSize == 0 ? 0 : ((((_out[0] - 1) * ph) + ((_out[1] - 1) * _s[1])) * pw);
        _planeLength = Math.Max(_planePadded, lastRow + _rowWide + maxOff);
    }

    private bool UnitStride => _s[1] == 1 && _s[2] == 1;

    private void PackDepthwise<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TW : unmanaged, IBinaryInteger<TW>
        => _dwWeights = ZeroPointSubtractedWeights<TW, int>(w, wZeroPoints, K);

    // One input channel per group: per channel plane, the wide-grid direct kernel for each of its filters, for the
    // channels cStart..cEnd−1 of one image (parallel callers split the channels). Each call rents its own plane and wide
    // buffers (sized by InitDepthwise for DepthwiseWideKernel's contract; the plane's border stays 0 and its interior is
    // rewritten per channel).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DepthwiseChannels<TX>(ReadOnlySpan<TX> x, int image, Span<int> acc, int cStart, int cEnd)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int widePad = (_wideCount + 7) & ~7;
        int[] plane = Workspace.Rent<int>(_planeLength, clear: true);
        int[] wide = Workspace.Rent<int>(widePad, clear: false);
        try
        {
            int ph = _padded[1], pw = _padded[2], w = _in[2], k = K, mg = _filtersPerGroup, outSize = OutSize;
            int out0 = _out[0], out1 = _out[1], out2 = _out[2], s1 = _s[1], s2 = _s[2];
            bool unit = UnitStride;
            int xz = _xZeroPoint;
            bool vector = Vector256.IsHardwareAccelerated;
            bool bytes = Unsafe.SizeOf<TX>() == 1 && Vector128.IsHardwareAccelerated;
            bool signed = _xSigned;
            Vector128<int> vxz = Vector128.Create(xz);
            ref TX rx = ref MemoryMarshal.GetReference(x);
            ref int rp = ref MemoryMarshal.GetArrayDataReference(plane);
            ref int rw = ref MemoryMarshal.GetArrayDataReference(wide);
            ref int ra = ref MemoryMarshal.GetReference(acc);
            ref int rk = ref MemoryMarshal.GetArrayDataReference(_dwWeights);
            ref int ro = ref MemoryMarshal.GetArrayDataReference(_dwOffsets);
            int si = ((image * Geometry.InChannels) + cStart) * InSize;
            for (int c = cStart; c < cEnd; c++)
            {
                for (int d = 0; d < _in[0]; d++)
                {
                    for (int h = 0; h < _in[1]; h++, si += w)
                    {
                        ref int dst = ref Unsafe.Add(ref rp, PaddedRowStart(d, h));
                        int i = 0;
                        if (bytes)
                        {
                            i = WidenRow(ref Unsafe.As<TX, byte>(ref Unsafe.Add(ref rx, si)), ref dst, w, signed, xz);
                            // Four 8-bit codes widened to int32 (sign- or zero-extended as TX) minus x_zp.
                            for (; i + 4 <= w; i += 4)
                            {
                                Vector128<byte> v = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(ref Unsafe.As<TX, byte>(ref Unsafe.Add(ref rx, si + i)))).AsByte();
                                Vector128<int> wide4 = signed
                                    ? Vector128.WidenLower(Vector128.WidenLower(v.AsSByte())) - vxz
                                    : Vector128.WidenLower(Vector128.WidenLower(v)).AsInt32() - vxz;
                                wide4.StoreUnsafe(ref Unsafe.Add(ref dst, i));
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
                    ref int o = ref Unsafe.Add(ref ra, oc * outSize);
                    if (!unit)
                    {
                        StridedRows(ref rp, ref Unsafe.Add(ref rk, oc * k), ref ro, ref rw, ref o);
                        continue;
                    }

                    if (vector)
                    {
                        DepthwiseWideKernel.AccumulateVectors(ref rp, ref Unsafe.Add(ref rk, oc * k), ref ro, ref rw, k, widePad);
                    }
                    else
                    {
                        DepthwiseWideKernel.Accumulate(plane.AsSpan(0, _planeLength), _dwWeights.AsSpan(oc * k, k), _dwOffsets, wide, _wideCount);
                    }

                    for (int od = 0; od < out0; od++)
                    {
                        for (int oh = 0; oh < out1; oh++)
                        {
                            ref int src = ref Unsafe.Add(ref rw, ((od * ph) + oh) * pw);
                            int ow = 0;
                            for (; ow + 8 <= out2; ow += 8)
                            {
                                Vector256.LoadUnsafe(ref src, (nuint)ow).StoreUnsafe(ref o, (nuint)ow);
                            }

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
        finally
        {
            ArrayPool<int>.Shared.Return(plane);
            ArrayPool<int>.Shared.Return(wide);
        }
    }

    // The leading columns of one input row widened to int32 minus x_zp, 16 or 8 codes per instruction (vpmovzxbd or
    // vpmovsxbd); returns how many it wrote (the caller finishes the row). The codes are sign- or zero-extended as TX.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WidenRow(ref byte src, ref int dst, int w, bool signed, int xz)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            Vector512<int> vxz = Vector512.Create(xz);
            for (; i + 16 <= w; i += 16)
            {
                Vector128<byte> v = Vector128.LoadUnsafe(ref src, (nuint)i);
                Vector512<int> codes = signed ? Avx512F.ConvertToVector512Int32(v.AsSByte()) : Avx512F.ConvertToVector512Int32(v);
                (codes - vxz).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        if (Avx2.IsSupported)
        {
            Vector256<int> vxz = Vector256.Create(xz);
            for (; i + 8 <= w; i += 8)
            {
                Vector128<byte> v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i))).AsByte();
                Vector256<int> codes = signed ? Avx2.ConvertToVector256Int32(v.AsSByte()) : Avx2.ConvertToVector256Int32(v);
                (codes - vxz).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        return i;
    }

    // Stride 2 (in rows, columns or both): output row (od, oh) is the stride-1 run of _rowWide columns starting at input
    // row od·ph + oh·s1 of the plane, of which every s2-th column is an output.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StridedRows(ref int plane, ref int wt, ref int off, ref int wide, ref int o)
    {
        int ph = _padded[1], pw = _padded[2], out0 = _out[0], out1 = _out[1], out2 = _out[2], s1 = _s[1], s2 = _s[2];
        bool vector = Vector256.IsHardwareAccelerated;
        for (int od = 0; od < out0; od++)
        {
            for (int oh = 0; oh < out1; oh++)
            {
                ref int row = ref Unsafe.Add(ref plane, ((od * ph) + (oh * s1)) * pw);
                if (vector)
                {
                    DepthwiseWideKernel.AccumulateVectors(ref row, ref wt, ref off, ref wide, K, _rowWide);
                }
                else
                {
                    DepthwiseWideKernel.AccumulateScalar(ref row, ref wt, ref off, ref wide, K, _rowWide);
                }

                int ow = 0;
                if (s2 == 2 && Avx512F.IsSupported)
                {
                    // Every other column: 16 outputs from 32 wide values. The wide run holds RoundUp(2·out2 − 1, 8)
                    // ≥ 2·out2 values, so the last pair read stays inside it.
                    Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                    for (; ow + 16 <= out2; ow += 16)
                    {
                        ref int src = ref Unsafe.Add(ref wide, 2 * ow);
                        Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref src), even, Vector512.LoadUnsafe(ref src, 16)).StoreUnsafe(ref o, (nuint)ow);
                    }
                }

                for (; ow < out2; ow++)
                {
                    Unsafe.Add(ref o, ow) = Unsafe.Add(ref wide, ow * s2);
                }

                o = ref Unsafe.Add(ref o, out2);
            }
        }
    }
}
