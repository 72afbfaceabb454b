using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The inner loop of the direct depthwise convolution (stride 1): on a zero-bordered plane of zero-point-subtracted
/// inputs flattened row-major, output (…, oh, ow) of a stride-1 conv reads plane[q + off[t]] for tap t with
/// q = (… · padded_h + oh) · padded_w + ow. Computing every q of that "wide" grid (the columns past the output width
/// are discarded by the caller) turns each tap into one contiguous multiply-add, vectorised across output pixels.
/// </summary>
internal static class DepthwiseWideKernel
{
    /// <summary>
    /// <c>acc[q] = Σ_t wt[t] · plane[q + off[t]]</c> for q &lt; n, exact wrapping int32 (operands are in
    /// [−255, 255], so every product is exact and only the sum wraps). <paramref name="plane"/> must hold at least
    /// <c>RoundUp(n, 8) + max(off)</c> values and <paramref name="acc"/> at least <c>RoundUp(n, 8)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<int> plane, ReadOnlySpan<int> wt, ReadOnlySpan<int> off, Span<int> acc, int n)
    {
        int taps = wt.Length;
        int nPad = (n + 7) & ~7;
        int maxOff = 0;
        for (int t = 0; t < taps; t++)
        {
            maxOff = Math.Max(maxOff, off[t]);
        }

        if (off.Length < taps || acc.Length < nPad || plane.Length < nPad + maxOff || off[..taps].IndexOfAnyExceptInRange(0, int.MaxValue) >= 0)
        {
            throw new ArgumentException("depthwise plane, offsets or accumulator spans are too short");
        }

        int q = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int rp = ref MemoryMarshal.GetReference(plane);
            ref int ra = ref MemoryMarshal.GetReference(acc);
            ref int rw = ref MemoryMarshal.GetReference(wt);
            ref int ro = ref MemoryMarshal.GetReference(off);
            for (; q < nPad; q += 8)
            {
                Vector256<int> s = Vector256<int>.Zero;
                for (int t = 0; t < taps; t++)
                {
                    s += Vector256.Create(Unsafe.Add(ref rw, t)) * Vector256.LoadUnsafe(ref rp, (nuint)(q + Unsafe.Add(ref ro, t)));
                }

                s.StoreUnsafe(ref ra, (nuint)q);
            }

            return;
        }

        for (; q < n; q++)
        {
            int s = 0;
            for (int t = 0; t < taps; t++)
            {
                s = unchecked(s + (wt[t] * plane[q + off[t]]));
            }

            acc[q] = s;
        }
    }
}
