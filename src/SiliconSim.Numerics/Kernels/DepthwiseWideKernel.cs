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

        if (Vector256.IsHardwareAccelerated)
        {
            AccumulateVectors(ref MemoryMarshal.GetReference(plane), ref MemoryMarshal.GetReference(wt), ref MemoryMarshal.GetReference(off), ref MemoryMarshal.GetReference(acc), taps, nPad);
            return;
        }

        for (int q = 0; q < n; q++)
        {
            int s = 0;
            for (int t = 0; t < taps; t++)
            {
                s = unchecked(s + (wt[t] * plane[q + off[t]]));
            }

            acc[q] = s;
        }
    }

    /// <summary>The scalar loop without checks (the same contract as <see cref="AccumulateVectors"/>).</summary>
    internal static void AccumulateScalar(ref int plane, ref int wt, ref int off, ref int acc, int taps, int n)
    {
        for (int q = 0; q < n; q++)
        {
            int s = 0;
            for (int t = 0; t < taps; t++)
            {
                s = unchecked(s + (Unsafe.Add(ref wt, t) * Unsafe.Add(ref plane, q + Unsafe.Add(ref off, t))));
            }

            Unsafe.Add(ref acc, q) = s;
        }
    }

    /// <summary>
    /// The vector loop without checks, for callers that validated the sizes once (<see cref="Accumulate"/>'s
    /// contract with n = nPad, a multiple of 8). Requires <see cref="Vector256.IsHardwareAccelerated"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateVectors(ref int plane, ref int wt, ref int off, ref int acc, int taps, int nPad)
    {
        // Blocks of 4, then 2, then 1 vector per pass over the taps: each weight broadcast and offset load serves
        // several vectors. 512-bit vectors first where they run at full width (vpmulld zmm: 16 products per op).
        int q = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; q + 64 <= nPad; q += 64)
            {
                Vector512<int> s0 = Vector512<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int t = 0; t < taps; t++)
                {
                    Vector512<int> wv = Vector512.Create(Unsafe.Add(ref wt, t));
                    ref int p = ref Unsafe.Add(ref plane, q + Unsafe.Add(ref off, t));
                    s0 += wv * Vector512.LoadUnsafe(ref p);
                    s1 += wv * Vector512.LoadUnsafe(ref p, 16);
                    s2 += wv * Vector512.LoadUnsafe(ref p, 32);
                    s3 += wv * Vector512.LoadUnsafe(ref p, 48);
                }

                s0.StoreUnsafe(ref acc, (nuint)q);
                s1.StoreUnsafe(ref acc, (nuint)(q + 16));
                s2.StoreUnsafe(ref acc, (nuint)(q + 32));
                s3.StoreUnsafe(ref acc, (nuint)(q + 48));
            }

            for (; q + 16 <= nPad; q += 16)
            {
                Vector512<int> s0 = Vector512<int>.Zero;
                for (int t = 0; t < taps; t++)
                {
                    s0 += Vector512.Create(Unsafe.Add(ref wt, t)) * Vector512.LoadUnsafe(ref plane, (nuint)(q + Unsafe.Add(ref off, t)));
                }

                s0.StoreUnsafe(ref acc, (nuint)q);
            }
        }

        for (; q + 32 <= nPad; q += 32)
        {
            Vector256<int> s0 = Vector256<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (int t = 0; t < taps; t++)
            {
                Vector256<int> wv = Vector256.Create(Unsafe.Add(ref wt, t));
                ref int p = ref Unsafe.Add(ref plane, q + Unsafe.Add(ref off, t));
                s0 += wv * Vector256.LoadUnsafe(ref p);
                s1 += wv * Vector256.LoadUnsafe(ref p, 8);
                s2 += wv * Vector256.LoadUnsafe(ref p, 16);
                s3 += wv * Vector256.LoadUnsafe(ref p, 24);
            }

            s0.StoreUnsafe(ref acc, (nuint)q);
            s1.StoreUnsafe(ref acc, (nuint)(q + 8));
            s2.StoreUnsafe(ref acc, (nuint)(q + 16));
            s3.StoreUnsafe(ref acc, (nuint)(q + 24));
        }

        for (; q + 16 <= nPad; q += 16)
        {
            Vector256<int> s0 = Vector256<int>.Zero, s1 = s0;
            for (int t = 0; t < taps; t++)
            {
                Vector256<int> wv = Vector256.Create(Unsafe.Add(ref wt, t));
                ref int p = ref Unsafe.Add(ref plane, q + Unsafe.Add(ref off, t));
                s0 += wv * Vector256.LoadUnsafe(ref p);
                s1 += wv * Vector256.LoadUnsafe(ref p, 8);
            }

            s0.StoreUnsafe(ref acc, (nuint)q);
            s1.StoreUnsafe(ref acc, (nuint)(q + 8));
        }

        for (; q < nPad; q += 8)
        {
            Vector256<int> s = Vector256<int>.Zero;
            for (int t = 0; t < taps; t++)
            {
                s += Vector256.Create(Unsafe.Add(ref wt, t)) * Vector256.LoadUnsafe(ref plane, (nuint)(q + Unsafe.Add(ref off, t)));
            }

            s.StoreUnsafe(ref acc, (nuint)q);
        }
    }
}
