using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SiliconSim.Numerics.Kernels.Float;

// 2-D MaxPool over 8-bit codes without indices (the quantized CNNs' pool: ORT runs it on u8/s8 after dropping the
// DQ/Q pair around it). The maximum of integers does not depend on the order the taps are visited in, so the window
// is split into a vertical maximum over its rows (whole input rows at a time, 32 bytes per instruction) and then a
// horizontal maximum over its columns. Missing taps (padding, ceil_mode overhang) are the type's lowest code, which
// never beats a real tap and is the reference's result for a window with no input tap at all.
public static partial class PoolKernels
{
    private static void MaxPool2DCodesOf<T>(ReadOnlySpan<T> x, ConvGeometry g, T[] y)
    {
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
        T[] line = new T[width];
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

                Span<T> outRow = outPlane.Slice(oy * outW, outW);
                for (int ox = 0; ox < outW; ox++)
                {
                    int at = ox * sw;
                    T best = line[at];
                    for (int j = 1; j < kw; j++)
                    {
                        T v = line[at + (j * dw)];
                        best = v > best ? v : best;
                    }

                    outRow[ox] = best;
                }
            }
        }
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

        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref rr, i);
            ref T a = ref Unsafe.Add(ref ra, i);
            a = v > a ? v : a;
        }
    }
}
