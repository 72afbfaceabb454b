using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// A <c>bits</c>-wide accumulator register written from its definition: wrap is the representative of the sum modulo
/// 2^bits in [−2^(bits−1), 2^(bits−1)), computed with a floor modulo; saturation is a clamp after every addition.
/// </summary>
public static class NarrowAccumulationReference
{
    /// <summary>The register after starting at <paramref name="init"/> and adding <paramref name="terms"/> in order.</summary>
    public static long Accumulate(long init, IEnumerable<long> terms, int bits, AccumulatorOverflow overflow)
    {
        ArgumentNullException.ThrowIfNull(terms);
        long r = Fit(init, bits, overflow);
        foreach (long t in terms)
        {
            r = Fit(r + t, bits, overflow);
        }

        return r;
    }

    /// <summary>The value <paramref name="v"/> as a <paramref name="bits"/>-bit register holds it.</summary>
    public static long Fit(long v, int bits, AccumulatorOverflow overflow)
    {
        long modulus = 1L << bits, half = 1L << (bits - 1);
        if (overflow == AccumulatorOverflow.Saturate)
        {
            return Math.Min(Math.Max(v, -half), half - 1);
        }

        long m = ((v + half) % modulus + modulus) % modulus;
        return m - half;
    }
}
