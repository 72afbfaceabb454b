namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// A real multiplier M ≈ <see cref="Multiplier"/> · 2^(<see cref="Shift"/> − 31), with the int32 significand in
/// [2^30, 2^31) (or 0 for M = 0 and for multipliers too small to matter): TFLite's QuantizeMultiplier
/// (lite/kernels/internal/quantization_util.cc).
/// </summary>
/// <param name="Multiplier">The Q0.31 significand M0.</param>
/// <param name="Shift">The power of two: positive shifts left before the high multiply, negative shifts right after it.</param>
public readonly record struct FixedPointMultiplier(int Multiplier, int Shift)
{
    /// <summary>
    /// Decomposes <paramref name="realMultiplier"/> (≥ 0, finite): frexp to q in [0.5, 1) and exponent e, M0 =
    /// round(q · 2^31) half away from zero (TfLiteRound is std::round); M0 = 2^31 becomes 2^30 with e + 1; e &lt; −31
    /// (everything would be shifted out) gives (0, 0); e &gt; 30 is refused, since x · 2^e could not stay in int32.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">negative, NaN, infinite or ≥ 2^30.</exception>
    public static FixedPointMultiplier FromReal(double realMultiplier)
    {
        if (!double.IsFinite(realMultiplier) || realMultiplier < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(realMultiplier), realMultiplier, "a requantization multiplier must be finite and non-negative");
        }

        if (realMultiplier == 0)
        {
            return new FixedPointMultiplier(0, 0);
        }

        // frexp: realMultiplier = q · 2^e with q in [0.5, 1). ILogB gives the exponent of the [1, 2) form; exact for
        // subnormals too.
        int e = Math.ILogB(realMultiplier) + 1;
        double q = Math.ScaleB(realMultiplier, -e);
        long fixedQ = (long)Math.Round(q * 2147483648.0, MidpointRounding.AwayFromZero);
        if (fixedQ == 1L << 31)
        {
            fixedQ /= 2;
            e++;
        }

        if (e < -31)
        {
            return new FixedPointMultiplier(0, 0);
        }

        if (e > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(realMultiplier), realMultiplier, "a requantization multiplier must be below 2^30");
        }

        return new FixedPointMultiplier((int)fixedQ, e);
    }

    /// <summary>The real value this pair stands for: M0 · 2^(shift − 31).</summary>
    public double Value => Math.ScaleB(Multiplier, Shift - 31);
}
