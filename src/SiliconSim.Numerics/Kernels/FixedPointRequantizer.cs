using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The integer-only requantizer of gemmlowp and TFLite (Jacob et al., CVPR 2018), which most integer NPUs implement:
/// <c>y = clamp(RoundShift(SRDHM(acc · 2^left, M0), right) + zp, qmin, qmax)</c> with <see cref="FixedPointMultiplier"/>
/// (M0, shift), left = max(shift, 0), right = max(−shift, 0). Sources: gemmlowp fixedpoint/fixedpoint.h
/// (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT), TFLite lite/kernels/internal/common.h
/// (MultiplyByQuantizedMultiplier, the default double-rounding build).
/// </summary>
public static class FixedPointRequantizer
{
    /// <summary>
    /// gemmlowp's SaturatingRoundingDoublingHighMul: <c>a · b / 2^31</c> rounded to nearest with ties toward +∞ (the
    /// nudge is 2^30 for a non-negative product but 1 − 2^30 for a negative one, and C's division truncates, so −0.5
    /// becomes 0 and −1.5 becomes −1, as ARM's vqrdmulh does); the one overflowing case, a = b = int.MinValue, gives
    /// int.MaxValue.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
        {
            return int.MaxValue;
        }

        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        // C# long division truncates toward zero as C++'s does.
        return (int)((ab + nudge) / (1L << 31));
    }

    /// <summary>
    /// <c>x / 2^exponent</c> (0 ≤ exponent ≤ 31) rounded as <paramref name="rounding"/> says. With
    /// <see cref="ShiftRounding.NearestAwayFromZero"/> this is gemmlowp's RoundingDivideByPOT: the remainder below the
    /// shift compared with half, the threshold one higher for negative x. The result always fits in int32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundingShiftRight(int x, int exponent, ShiftRounding rounding)
    {
        if ((uint)exponent > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "shift must be 0 to 31");
        }

        if (exponent == 0)
        {
            return x;
        }

        long mask = (1L << exponent) - 1;
        long remainder = x & mask;
        long half = 1L << (exponent - 1);
        int floor = x >> exponent;
        bool up = rounding switch
        {
            // Threshold half − 1 for x ≥ 0 (a tie rounds up, away from zero), half for x < 0 (a tie stays down, away).
            ShiftRounding.NearestAwayFromZero => remainder > (mask >> 1) + (x < 0 ? 1 : 0),
            ShiftRounding.NearestUp => remainder >= half,
            ShiftRounding.NearestEven => remainder > half || (remainder == half && (floor & 1) != 0),
            ShiftRounding.Floor => false,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "unknown rounding"),
        };
        return up ? floor + 1 : floor;
    }

    /// <summary>
    /// TFLite's MultiplyByQuantizedMultiplier with the final shift rounded as <paramref name="rounding"/> says:
    /// <c>RoundingShiftRight(SRDHM(acc · 2^left, M0), right)</c>. The left shift saturates to int32 (where TFLite's
    /// int32 multiply would overflow); quantizers only produce left shifts for multipliers ≥ 1, which conv and matmul
    /// scales almost never are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyByQuantizedMultiplier(int acc, FixedPointMultiplier multiplier, ShiftRounding rounding)
    {
        int left = multiplier.Shift > 0 ? multiplier.Shift : 0;
        int right = multiplier.Shift > 0 ? 0 : -multiplier.Shift;
        int shifted = left == 0 ? acc : (int)Math.Clamp((long)acc << left, int.MinValue, int.MaxValue);
        return RoundingShiftRight(SaturatingRoundingDoublingHighMul(shifted, multiplier.Multiplier), right, rounding);
    }

    /// <summary>
    /// One output code: <c>clamp(MultiplyByQuantizedMultiplier(acc) + zeroPoint, qmin, qmax)</c>, the zero point added
    /// exactly (as TFLite adds output_offset before the activation clamp).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Requantize(int acc, FixedPointMultiplier multiplier, ShiftRounding rounding, int zeroPoint, int qmin, int qmax) =>
        (int)Math.Clamp((long)MultiplyByQuantizedMultiplier(acc, multiplier, rounding) + zeroPoint, qmin, qmax);
}
