using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels.Float;

// 2-D MaxPool without indices over 8-bit codes (the quantized CNNs' pool: ORT runs it on u8/s8 after dropping the
// DQ/Q pair around it) or over fp32 values free of NaN, −0 and −∞ (the QDQ CNNs' float pool after a DequantizeLinear).
// Then the maximum does not depend on the order the taps are visited in (the reference keeps the first tap and
// replaces it only by a strictly greater one; that differs from a plain maximum only for NaN and for ±0 ties), so the
// window is split into a vertical maximum over its rows (whole input rows at a time) and then a horizontal maximum
// over its columns. Missing taps (padding, ceil_mode overhang) are the type's lowest value (float.MinValue, as the
// reference's), which never beats a real tap (−∞ is excluded) and is the reference's result for a window with no
// input tap at all.
public static partial class PoolKernels
{
    /// <summary>True when <paramref name="x"/> (fp32) holds no NaN, −0 or −∞: its window maxima are order-free.</summary>
    private static bool OrderFree<T>(ReadOnlySpan<T> x)
    {
        ReadOnlySpan<float> f = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x)), x.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> negInf = Vector256.Create(float.NegativeInfinity);
            Vector256<uint> negZero = Vector256.Create(0x8000_0000u);
            Vector256<uint> bad = Vector256<uint>.Zero;
            for (; i + 8 <= f.Length; i += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(f), (nuint)i);
                // v ≠ v is NaN; v == −∞; the bits of −0.
                bad |= (~Vector256.Equals(v, v) | Vector256.Equals(v, negInf)).AsUInt32() | Vector256.Equals(v.AsUInt32(), negZero);
            }

            if (bad != Vector256<uint>.Zero)
            {
                return false;
            }
        }

        for (; i < f.Length; i++)
        {
            if (float.IsNaN(f[i]) || float.IsNegativeInfinity(f[i]) || BitConverter.SingleToUInt32Bits(f[i]) == 0x8000_0000u)
            {
                return false;
            }
        }

        return true;
    }

    private static void MaxPool2DCodesOf<T>(ReadOnlySpan<T> x, ConvGeometry g, T[] y)
    {
        if (typeof(T) == typeof(float))
        {
            MaxPool2DCodes<float>(
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x)), x.Length),
                g,
                MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetArrayDataReference(y)), y.Length));
            return;
        }

        ref byte xr = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(x));
        ReadOnlySpan<byte> xb = MemoryMarshal.CreateReadOnlySpan(ref xr, x.Length);
        Span<byte> yb = MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(y)), y.Length);
        if (typeof(T) == typeof(byte))
        {
            MaxPool2DCodes<byte>(xb, g, yb);
        }
        else
        {
            MaxPool2DCodes<sbyte>(MemoryMarshal.Cast<byte, sbyte>(xb), g, MemoryMarshal.Cast<byte, sbyte>(yb));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPool2DCodes<T>(ReadOnlySpan<T> x, ConvGeometry g, Span<T> y)
        where T : unmanaged, System.Numerics.IMinMaxValue<T>, System.Numerics.IComparisonOperators<T, T, bool>
    {
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        int sw = g.Strides[1], dw = g.Dilations[1], padLeft = g.PadsBegin[1];
        int inSize = inH * inW, outSize = outH * outW;
        (int[] rowPos, int[] rowCount) = ValidPositions(outH, g.Strides[0], g.PadsBegin[0], g.Dilations[0], kh, inH);
        // One column-maximum row, bordered by the lowest code: input column c sits at padLeft + c, and every tap
        // ox·sw + j·dw of the window lies inside.
        int width = Math.Max(padLeft + inW, ((outW - 1) * sw) + ((kw - 1) * dw) + 1);
        T[] line = new T[width + 64];
        line.AsSpan().Fill(T.MinValue);
        Span<T> inner = line.AsSpan(padLeft, inW);
        int channels = g.Batch * g.InChannels;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> plane = x.Slice(c * inSize, inSize);
            Span<T> outPlane = y.Slice(c * outSize, outSize);
            for (int oy = 0; oy < outH; oy++)
            {
                int rows = rowCount[oy];
                if (rows == 0)
                {
                    inner.Fill(T.MinValue);
                }
                else
                {
                    plane.Slice(rowPos[oy * kh] * inW, inW).CopyTo(inner);
                    for (int i = 1; i < rows; i++)
                    {
                        MaxInto(inner, plane.Slice(rowPos[(oy * kh) + i] * inW, inW));
                    }
                }

                RowMaximum(line, outPlane.Slice(oy * outW, outW), kw, sw, dw);
            }
        }
    }

    // outRow[ox] = max over j < kw of line[ox·sw + j·dw]: a vector of outputs a step with unit stride; with stride 2, 16
    // codes (the even bytes of 32, as in the im2col) or 8 floats (the even lanes of 16); the rest one at a time. line
    // carries 64 elements of slack past every tap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowMaximum<T>(T[] line, Span<T> outRow, int kw, int sw, int dw)
        where T : unmanaged, System.Numerics.IComparisonOperators<T, T, bool>
    {
        ref T rl = ref MemoryMarshal.GetArrayDataReference(line);
        ref T ro = ref MemoryMarshal.GetReference(outRow);
        int outW = outRow.Length, ox = 0;
        if (sw == 1 && Vector256.IsHardwareAccelerated)
        {
            for (; ox + Vector256<T>.Count <= outW; ox += Vector256<T>.Count)
            {
                Vector256<T> best = Vector256.LoadUnsafe(ref rl, (nuint)ox);
                for (int j = 1; j < kw; j++)
                {
                    best = Vector256.Max(best, Vector256.LoadUnsafe(ref rl, (nuint)(ox + (j * dw))));
                }

                best.StoreUnsafe(ref ro, (nuint)ox);
            }
        }
        else if (sw == 2 && typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            ref float lf = ref Unsafe.As<T, float>(ref rl);
            ref float of = ref Unsafe.As<T, float>(ref ro);
            for (; ox + 8 <= outW; ox += 8)
            {
                Vector256<float> best = EvenFloats(ref lf, 2 * ox);
                for (int j = 1; j < kw; j++)
                {
                    best = Avx.Max(best, EvenFloats(ref lf, (2 * ox) + (j * dw)));
                }

                best.StoreUnsafe(ref of, (nuint)ox);
            }
        }
        else if (sw == 2 && typeof(T) != typeof(float) && Sse2.IsSupported)
        {
            ref byte lb = ref Unsafe.As<T, byte>(ref rl);
            for (; ox + 16 <= outW; ox += 16)
            {
                Vector128<T> best = EvenCodes(ref lb, 2 * ox).As<byte, T>();
                for (int j = 1; j < kw; j++)
                {
                    best = Vector128.Max(best, EvenCodes(ref lb, (2 * ox) + (j * dw)).As<byte, T>());
                }

                best.StoreUnsafe(ref ro, (nuint)ox);
            }
        }

        for (; ox < outW; ox++)
        {
            int at = ox * sw;
            T best = Unsafe.Add(ref rl, at);
            for (int j = 1; j < kw; j++)
            {
                T v = Unsafe.Add(ref rl, at + (j * dw));
                best = v > best ? v : best;
            }

            Unsafe.Add(ref ro, ox) = best;
        }
    }

    // Floats 0, 2, ..., 14 of the 16 at p + at: shufps picks the even lanes of each 128-bit half, vpermq orders them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EvenFloats(ref float p, int at)
    {
        Vector256<float> mixed = Avx.Shuffle(Vector256.LoadUnsafe(ref p, (nuint)at), Vector256.LoadUnsafe(ref p, (nuint)(at + 8)), 0b10_00_10_00);
        return Avx2.Permute4x64(mixed.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    // Bytes 0, 2, ..., 30 of the 32 at p + at: the words' low bytes, packed without saturation since each is 0..255.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EvenCodes(ref byte p, int at)
    {
        Vector128<short> mask = Vector128.Create((short)0xFF);
        Vector128<short> lo = Vector128.LoadUnsafe(ref p, (nuint)at).AsInt16() & mask;
        Vector128<short> hi = Vector128.LoadUnsafe(ref p, (nuint)(at + 16)).AsInt16() & mask;
        return Sse2.PackUnsignedSaturate(lo, hi);
    }

    // acc[i] = max(acc[i], row[i]).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxInto<T>(Span<T> acc, ReadOnlySpan<T> row)
        where T : unmanaged, System.Numerics.IComparisonOperators<T, T, bool>
    {
        int n = acc.Length, i = 0;
        ref T ra = ref MemoryMarshal.GetReference(acc);
        ref T rr = ref MemoryMarshal.GetReference(row);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                Vector256.Max(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref ra, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
            {
                Vector128.Max(Vector128.LoadUnsafe(ref ra, (nuint)i), Vector128.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref ra, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref rr, i);
            ref T a = ref Unsafe.Add(ref ra, i);
            a = v > a ? v : a;
        }
    }
}
