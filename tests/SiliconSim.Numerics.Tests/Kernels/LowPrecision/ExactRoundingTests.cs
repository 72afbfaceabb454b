using System.Numerics;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

public sealed class ExactRoundingTests
{
    [Property(MaxTest = 500)]
    public void ToFloat_IsTheNearestFloat_TiesToEven(int seed)
    {
        var rng = new Random(seed);
        Int128 n = ((Int128)rng.NextInt64() << rng.Next(0, 60)) + rng.Next(-3, 4);
        if (rng.Next(3) == 0)
        {
            n = rng.Next(-(1 << 26), 1 << 26);
        }

        int exponent = rng.Next(-200, 40);
        Assert.Equal(NearestFloat(BigInteger.Parse(n.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), exponent), ExactRounding.ToFloat(n, exponent));
    }

    [Theory]
    [InlineData(0x1000001, 0, 16777216f)] // 2^24 + 1 is a tie between 2^24 and 2^24 + 2: even wins
    [InlineData(0x1000003, 0, 16777220f)] // 2^24 + 3 ties between +2 and +4: +4 has the even significand
    [InlineData(1, -150, 0f)] // half the smallest subnormal ties to zero
    [InlineData(3, -151, 1.4e-45f)] // three quarters of it rounds up
    public void ToFloat_RoundsTiesAndSubnormalsAsIeeeDoes(long n, int exponent, float expected)
    {
        Assert.Equal(expected, ExactRounding.ToFloat(n, exponent));
    }

    /// <summary>The float nearest to n·2^e (ties to even), found by comparing exact distances to neighbouring floats.</summary>
    internal static float NearestFloat(BigInteger n, int e)
    {
        if (n.IsZero)
        {
            return 0f;
        }

        // At or beyond the midpoint between float.MaxValue and 2^128 the result is ±Inf (the tie goes to the even 2^128).
        BigInteger overflow = ((BigInteger.One << 128) - (BigInteger.One << 103)) << 400;
        if (BigInteger.Abs(Scaled(n, e)) >= overflow)
        {
            return n.Sign < 0 ? float.NegativeInfinity : float.PositiveInfinity;
        }

        double approx = (double)n * Math.Pow(2, e);
        float guess = Math.Clamp((float)approx, float.MinValue, float.MaxValue);
        float[] candidates = [MathF.BitDecrement(guess), guess, MathF.BitIncrement(guess)];
        float best = guess;
        BigInteger bestDistance = Distance(best, n, e);
        foreach (float c in candidates)
        {
            if (!float.IsFinite(c))
            {
                continue;
            }

            BigInteger d = Distance(c, n, e);
            int cmp = d.CompareTo(bestDistance);
            if (cmp < 0 || (cmp == 0 && (BitConverter.SingleToInt32Bits(c) & 1) == 0))
            {
                best = c;
                bestDistance = d;
            }
        }

        return best;
    }

    // |c − n·2^e| · 2^400: exact, since floats are multiples of 2^-149 and e ≥ −400 here.
    private static BigInteger Distance(float c, BigInteger n, int e)
    {
        BigInteger cScaled = new BigInteger(Math.ScaleB((double)c, 149)) << 251; // c · 2^400
        return BigInteger.Abs(cScaled - Scaled(n, e));
    }

    private static BigInteger Scaled(BigInteger n, int e) => e + 400 >= 0 ? n << (e + 400) : n >> -(e + 400);
}
