using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>Packing and batched-broadcast driving of <see cref="IntGemm"/> for the matmul-shaped integer ops.</summary>
internal static class QuantizedMatMulCore
{
    /// <summary>
    /// Packs <paramref name="rows"/> rows of length <paramref name="k"/> as int16 <c>v − zp[row]</c> into
    /// <paramref name="dst"/> with stride <paramref name="kStride"/>. Element (r, t) is read at <c>src[r·k + t]</c>, or
    /// at <c>src[t·rows + r]</c> when <paramref name="transposed"/> (a [K, rows] matrix read column-wise).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackRows<T>(ReadOnlySpan<T> src, int rows, int k, bool transposed, ReadOnlySpan<int> zeroPoints, int kStride, Span<short> dst)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (int r = 0; r < rows; r++)
        {
            int zp = zeroPoints[zeroPoints.Length == 1 ? 0 : r];
            Span<short> d = dst.Slice(r * kStride, k);
            if (transposed)
            {
                for (int t = 0; t < k; t++)
                {
                    d[t] = (short)(int.CreateTruncating(src[(t * rows) + r]) - zp);
                }
            }
            else
            {
                ReadOnlySpan<T> s = src.Slice(r * k, k);
                for (int t = 0; t < k; t++)
                {
                    d[t] = (short)(int.CreateTruncating(s[t]) - zp);
                }
            }
        }
    }

    public static void CheckZeroPoints(ReadOnlySpan<int> zeroPoints, int perAxis, string name)
    {
        if (zeroPoints.Length != 1 && zeroPoints.Length != perAxis)
        {
            throw new ArgumentException($"{name} must have 1 or {perAxis} values, got {zeroPoints.Length}");
        }
    }
}
