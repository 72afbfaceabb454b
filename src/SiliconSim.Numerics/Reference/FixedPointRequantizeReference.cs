using System.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// The fixed-point requantizer written as exact rational arithmetic on <see cref="BigInteger"/>: each rounding step is
/// "the integer nearest to num/den" decided by comparing 2·remainder with den, with no bit tricks. The definition
/// <see cref="FixedPointRequantizer"/> and <see cref="FixedPointMultiplier.FromReal"/> are tested against.
/// </summary>
public static class FixedPointRequantizeReference
{
    /// <summary>
    /// frexp by repeated halving/doubling (exact in binary floating point), then M0 = round(q · 2^31) half away from
    /// zero; 2^31 renormalised; exponents below −31 give (0, 0).
    /// </summary>
    public static (int Multiplier, int Shift) Decompose(double real)
    {
        if (real == 0)
        {
            return (0, 0);
        }

        double q = real;
        int e = 0;
        while (q >= 1)
        {
            q /= 2;
            e++;
        }

        while (q < 0.5)
        {
            q *= 2;
            e--;
        }

        // q · 2^31 is exact (a power-of-two scaling); only the rounding to an integer loses anything.
        long fixedQ = (long)Math.Round(q * 2147483648.0, MidpointRounding.AwayFromZero);
        if (fixedQ == 1L << 31)
        {
            fixedQ = 1L << 30;
            e++;
        }

        return e < -31 ? (0, 0) : ((int)fixedQ, e);
    }

    /// <summary>
    /// <c>clamp(R2(R1(sat32(acc · 2^left) · M0 / 2^31) / 2^right) + zp, qmin, qmax)</c> where R1 rounds to nearest,
    /// ties toward +∞ (gemmlowp's doubling high multiply, whose nudge is asymmetric; the a = b = int.MinValue case
    /// cannot arise with M0 ≥ 0) and R2 is <paramref name="rounding"/>.
    /// </summary>
    public static int Requantize(int acc, int multiplier, int shift, ShiftRounding rounding, int zeroPoint, int qmin, int qmax)
    {
        int left = Math.Max(shift, 0), right = Math.Max(-shift, 0);
        BigInteger x = BigInteger.Clamp(new BigInteger(acc) * BigInteger.Pow(2, left), int.MinValue, int.MaxValue);
        BigInteger high = Divide(x * multiplier, BigInteger.Pow(2, 31), ShiftRounding.NearestUp);
        BigInteger shifted = Divide(high, BigInteger.Pow(2, right), rounding);
        return (int)BigInteger.Clamp(shifted + zeroPoint, qmin, qmax);
    }

    /// <summary>num / den (den &gt; 0) rounded to an integer as <paramref name="rounding"/> says.</summary>
    public static BigInteger Divide(BigInteger num, BigInteger den, ShiftRounding rounding)
    {
        BigInteger floor = BigInteger.DivRem(num, den, out BigInteger rem);
        if (rem < 0)
        {
            floor -= 1;
            rem += den;
        }

        // 0 ≤ rem < den; compare the fraction rem/den with one half.
        int vsHalf = (2 * rem).CompareTo(den);
        bool up = rounding switch
        {
            ShiftRounding.Floor => false,
            ShiftRounding.NearestUp => vsHalf >= 0,
            ShiftRounding.NearestEven => vsHalf > 0 || (vsHalf == 0 && !floor.IsEven),
            _ => vsHalf > 0 || (vsHalf == 0 && num >= 0),
        };
        return up ? floor + 1 : floor;
    }
}
