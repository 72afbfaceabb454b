using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// A signed accumulator register of 2..32 bits with an explicit overflow policy (STYLE D4): every addition lands back
/// in the register's range, by two's-complement wrap or by saturation.
/// </summary>
public static class NarrowAccumulator
{
    /// <summary>The most negative value a <paramref name="bits"/>-bit register holds: −2^(bits−1).</summary>
    public static int MinValue(int bits) => (int)(-1L << (bits - 1));

    /// <summary>The most positive value a <paramref name="bits"/>-bit register holds: 2^(bits−1) − 1.</summary>
    public static int MaxValue(int bits) => (int)((1L << (bits - 1)) - 1);

    /// <summary>
    /// The exact value <paramref name="v"/> as the register holds it: reduced modulo 2^bits into
    /// [−2^(bits−1), 2^(bits−1)) under <see cref="AccumulatorOverflow.Wrap"/>, clamped to that range under
    /// <see cref="AccumulatorOverflow.Saturate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Fit(long v, int bits, AccumulatorOverflow overflow)
    {
        if (overflow == AccumulatorOverflow.Wrap)
        {
            // Keep the low `bits` bits and sign-extend from the top one: the adder's carry out is simply dropped.
            int drop = 64 - bits;
            return (int)((v << drop) >> drop);
        }

        return (int)Math.Clamp(v, MinValue(bits), MaxValue(bits));
    }

    /// <summary>One accumulation step, <c>acc ← Fit(acc + term)</c>, with the sum formed exactly before the policy applies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(int acc, long term, int bits, AccumulatorOverflow overflow) => Fit(acc + term, bits, overflow);
}
