using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.ArrayNumerics;

/// <summary>The gemmlowp/TFLite fixed-point requantizer: worked examples and laws against the exact rational reference.</summary>
public sealed class FixedPointRequantizerTests
{
    private static readonly ShiftRounding[] s_roundings =
        [ShiftRounding.NearestAwayFromZero, ShiftRounding.NearestUp, ShiftRounding.NearestEven, ShiftRounding.Floor];

    [Theory]
    [InlineData(3, ShiftRounding.NearestAwayFromZero, 2)] // 1.5
    [InlineData(3, ShiftRounding.NearestUp, 2)]
    [InlineData(3, ShiftRounding.NearestEven, 2)]
    [InlineData(3, ShiftRounding.Floor, 1)]
    [InlineData(-3, ShiftRounding.NearestAwayFromZero, -2)] // -1.5
    [InlineData(-3, ShiftRounding.NearestUp, -1)]
    [InlineData(-3, ShiftRounding.NearestEven, -2)]
    [InlineData(-3, ShiftRounding.Floor, -2)]
    [InlineData(5, ShiftRounding.NearestEven, 2)] // 2.5
    [InlineData(-5, ShiftRounding.NearestEven, -2)]
    [InlineData(-5, ShiftRounding.NearestAwayFromZero, -3)]
    [InlineData(-5, ShiftRounding.NearestUp, -2)]
    public void RoundingShiftRight_Ties_FollowTheRounding(int x, ShiftRounding rounding, int expected) =>
        Assert.Equal(expected, FixedPointRequantizer.RoundingShiftRight(x, 1, rounding));

    [Theory]
    [InlineData(int.MinValue, int.MinValue, int.MaxValue)] // the one saturating case
    [InlineData(1 << 30, 1 << 30, 1 << 29)] // 0.5 · 0.5 in Q0.31
    [InlineData(1, 1 << 30, 1)] // 0.5: ties go toward +∞ ...
    [InlineData(-1, 1 << 30, 0)] // ... so −0.5 becomes 0 (the nudge is 1 − 2^30 for negative products)
    [InlineData(3, 1 << 30, 2)] // 1.5
    [InlineData(-3, 1 << 30, -1)] // −1.5
    [InlineData(-5, 1 << 30, -2)] // −2.5
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue - 1)]
    public void SaturatingRoundingDoublingHighMul_Examples(int a, int b, int expected) =>
        Assert.Equal(expected, FixedPointRequantizer.SaturatingRoundingDoublingHighMul(a, b));

    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.25, 1 << 30, -1)]
    [InlineData(0.75, 3 << 29, 0)]
    [InlineData(0.9999999999999, 1 << 30, 1)] // q · 2^31 rounds to 2^31: renormalised to 2^30 with the exponent raised
    [InlineData(9.094947017729282e-13, 1 << 30, -39)] // 2^-40 would need a right shift of 40: below -31 → zero
    [InlineData(0.0, 0, 0)]
    public void FromReal_Examples(double real, int multiplier, int shift)
    {
        var expected = shift < -31 ? new FixedPointMultiplier(0, 0) : new FixedPointMultiplier(multiplier, shift);
        Assert.Equal(expected, FixedPointMultiplier.FromReal(real));
    }

    [Property(MaxTest = 200)]
    public bool FromReal_EqualsReferenceAndStaysNormalised(int seed)
    {
        var rng = new Random(seed);
        double real = Math.Pow(2, (rng.NextDouble() * 50) - 40) * (0.5 + rng.NextDouble());
        FixedPointMultiplier m = FixedPointMultiplier.FromReal(real);
        (int rm, int rs) = FixedPointRequantizeReference.Decompose(real);
        bool normalised = m.Multiplier == 0 || (m.Multiplier >= 1 << 30 && m.Multiplier <= int.MaxValue);
        // The significand is within half a unit of 2^(shift − 31) of the real multiplier.
        bool close = m.Multiplier == 0 || Math.Abs(m.Value - real) <= Math.ScaleB(0.5, m.Shift - 31);
        return m.Multiplier == rm && m.Shift == rs && normalised && close;
    }

    [Property(MaxTest = 300)]
    public void Requantize_EqualsExactRationalReference(int seed)
    {
        var rng = new Random(seed);
        int acc = rng.Next(4) switch
        {
            0 => rng.Next(int.MinValue, int.MaxValue),
            1 => rng.Next(-300, 301),
            _ => rng.Next(-(1 << 20), 1 << 20),
        };
        // A power of two makes M0 = 2^30, where odd accumulators land exactly on the high multiply's ties.
        double real = rng.Next(3) == 0 ? Math.ScaleB(1.0, -rng.Next(0, 25)) : Math.Pow(2, (rng.NextDouble() * 36) - 34);
        FixedPointMultiplier m = FixedPointMultiplier.FromReal(real);
        int zp = rng.Next(-128, 128);
        foreach (ShiftRounding r in s_roundings)
        {
            int expected = FixedPointRequantizeReference.Requantize(acc, m.Multiplier, m.Shift, r, zp, -128, 127);
            Assert.Equal(expected, FixedPointRequantizer.Requantize(acc, m, r, zp, -128, 127));
        }

        // The unclamped path too, over the full int32 output range.
        foreach (ShiftRounding r in s_roundings)
        {
            int expected = FixedPointRequantizeReference.Requantize(acc, m.Multiplier, m.Shift, r, 0, int.MinValue, int.MaxValue);
            Assert.Equal(expected, FixedPointRequantizer.MultiplyByQuantizedMultiplier(acc, m, r));
        }
    }

    /// <summary>
    /// The fixed-point result differs from ORT's fp32 requantizer by at most one code, with the multiplier built from the
    /// same fp32 scales (fp32 (s_x·s_w)/s_y for ORT, double for the fixed point) and accumulators of 8-bit products.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Requantize_IsWithinOneOfFp32(int seed)
    {
        var rng = new Random(seed);
        float sx = (float)Math.Pow(2, (rng.NextDouble() * 8) - 10), sw = (float)Math.Pow(2, (rng.NextDouble() * 8) - 10), sy = (float)Math.Pow(2, (rng.NextDouble() * 8) - 8);
        float scale = sx * sw / sy;
        double real = (double)sx * sw / sy;
        int acc = rng.Next(-(1 << 22), 1 << 22);
        int zp = rng.Next(0, 256);
        int fp32 = Requantizer.Requantize(acc, scale, zp, 0, 255);
        FixedPointMultiplier m = FixedPointMultiplier.FromReal(real);
        foreach (ShiftRounding r in s_roundings)
        {
            int fixedPoint = FixedPointRequantizer.Requantize(acc, m, r, zp, 0, 255);
            Assert.True(Math.Abs(fixedPoint - fp32) <= 1, $"acc {acc} scale {scale:R} zp {zp} {r}: fixed {fixedPoint}, fp32 {fp32}");
        }
    }

    /// <summary>
    /// When the multiplier is a short dyadic j·2^−e and acc·M is an integer, every rounding and ORT's fp32 path agree
    /// exactly: no step has anything to round.
    /// </summary>
    [Property(MaxTest = 200)]
    public void Requantize_ExactlyRepresentable_EqualsFp32(int seed)
    {
        var rng = new Random(seed);
        int e = rng.Next(1, 21);
        int j = (2 * rng.Next(0, 50)) + 1;
        int t = rng.Next(-(100 / j), (100 / j) + 1);
        int acc = t << e;
        double real = Math.ScaleB(j, -e);
        int zp = rng.Next(-27, 28);
        int fp32 = Requantizer.Requantize(acc, (float)real, zp, -128, 127);
        Assert.Equal((t * j) + zp, fp32);
        foreach (ShiftRounding r in s_roundings)
        {
            Assert.Equal(fp32, FixedPointRequantizer.Requantize(acc, FixedPointMultiplier.FromReal(real), r, zp, -128, 127));
        }
    }

    [Fact]
    public void Requantize_DoubleRounding_CanDifferFromExact()
    {
        // acc 1, M = 0.25: exact 0.25 → 0, but the high multiply rounds 0.5 → 1 first and the shift then rounds 0.5 → 1
        // (gemmlowp's documented double rounding, removed in TFLite's TFLITE_SINGLE_ROUNDING build).
        var m = FixedPointMultiplier.FromReal(0.25);
        Assert.Equal(1, FixedPointRequantizer.Requantize(1, m, ShiftRounding.NearestAwayFromZero, 0, -128, 127));
        Assert.Equal(0, Requantizer.Requantize(1, 0.25f, 0, -128, 127));
    }
}
