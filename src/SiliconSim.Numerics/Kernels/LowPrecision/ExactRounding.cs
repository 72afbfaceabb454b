namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>Correctly rounded conversions of exact wide sums to fp32.</summary>
public static class ExactRounding
{
    /// <summary>
    /// The fp32 nearest (ties to even) to n · 2^<paramref name="exponent"/>, rounding once from the exact value (no
    /// double rounding through double). Results beyond fp32's range give ±Inf; below it, fp32 subnormals or zero.
    /// </summary>
    public static float ToFloat(Int128 n, int exponent)
    {
        if (n == 0)
        {
            return 0f;
        }

        bool negative = n < 0;
        UInt128 magnitude = negative ? (UInt128)(-n) : (UInt128)n;
        int bits = 128 - (int)UInt128.LeadingZeroCount(magnitude);

        // Keep 24 significant bits, fewer where the result is subnormal (its lsb is 2^-149).
        int lsbExponent = Math.Max(exponent + bits - 24, -149);
        int shift = lsbExponent - exponent;
        UInt128 kept;
        if (shift <= 0)
        {
            kept = magnitude << -shift;
        }
        else if (shift >= 128)
        {
            kept = 0;
        }
        else
        {
            kept = magnitude >> shift;
            UInt128 remainder = magnitude - (kept << shift);
            UInt128 half = UInt128.One << (shift - 1);
            if (remainder > half || (remainder == half && (kept & 1) == 1))
            {
                kept++;
            }
        }

        // kept < 2^25 here, so both steps are exact unless the result overflows fp32 (ScaleB then gives Inf).
        float value = MathF.ScaleB((float)(ulong)kept, lsbExponent);
        return negative ? -value : value;
    }

    /// <summary>
    /// <see cref="ToFloat(Int128, int)"/> for a 64-bit <paramref name="n"/>, in 64-bit integer steps (the block sums of
    /// the fast array path): the same single rounding, ties to even, subnormals and overflow alike.
    /// </summary>
    public static float ToFloat(long n, int exponent)
    {
        // |n| < 2^24 is an fp32 as it stands, and times 2^exponent with -126 ≤ exponent ≤ 104 it stays normal (or
        // zero): the product is exact, nothing to round. Most block sums of fp4 and fp8 operands take this path.
        if ((ulong)(n + (1 << 24)) < (2UL << 24) && (uint)(exponent + 126) <= 126 + 104)
        {
            return (float)n * BitConverter.Int32BitsToSingle((exponent + 127) << 23);
        }

        if (n == 0)
        {
            return 0f;
        }

        bool negative = n < 0;
        ulong magnitude = negative ? 0UL - (ulong)n : (ulong)n;
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(magnitude);
        int lsbExponent = Math.Max(exponent + bits - 24, -149);
        int shift = lsbExponent - exponent;
        ulong kept;
        if (shift <= 0)
        {
            kept = magnitude << -shift;
        }
        else if (shift >= 64)
        {
            // The whole magnitude (< 2^64) lies below the half-lsb 2^(shift-1) ≥ 2^63 unless shift is 64 and the
            // magnitude exceeds 2^63; an exact 2^63 ties to the even 0.
            kept = shift == 64 && magnitude > (1UL << 63) ? 1UL : 0UL;
        }
        else
        {
            kept = magnitude >> shift;
            ulong remainder = magnitude - (kept << shift);
            ulong half = 1UL << (shift - 1);
            if (remainder > half || (remainder == half && (kept & 1) == 1))
            {
                kept++;
            }
        }

        // kept < 2^25 here, so both steps are exact unless the result overflows fp32 (ScaleB then gives Inf).
        float value = MathF.ScaleB((float)kept, lsbExponent);
        return negative ? -value : value;
    }
}
