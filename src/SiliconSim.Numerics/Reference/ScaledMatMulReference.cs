using System.Numerics;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain statement of <see cref="ScaledMatMul"/>'s contract in exact rational arithmetic: every value as an integer
/// over 2^<see cref="FractionBits"/> (BigInteger), each rounding to fp32 found by comparing the exact value with its two
/// neighbouring floats. Slow; for tests.
/// </summary>
public static class ScaledMatMulReference
{
    // Element values (≥ 2^-16), scales (fp32 ≥ 2^-149) and their products stay integers at this scale.
    private const int FractionBits = 400;

    public static float[] Compute(ScaledOperand a, ScaledOperand b, LowPrecisionAccumulation accumulation)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        float[] y = new float[a.Rows * b.Rows];
        for (int m = 0; m < a.Rows; m++)
        {
            for (int n = 0; n < b.Rows; n++)
            {
                float acc = 0f;
                for (int j = 0; j < a.BlocksPerRow; j++)
                {
                    float sa = a.BlockScales[(m * a.BlocksPerRow) + j], sb = b.BlockScales[(n * b.BlocksPerRow) + j];
                    if (!float.IsFinite(sa) || !float.IsFinite(sb))
                    {
                        acc = float.NaN;
                        continue;
                    }

                    BigInteger block = BigInteger.Zero;
                    for (int k = j * a.BlockSize; k < Math.Min(a.Depth, (j + 1) * a.BlockSize); k++)
                    {
                        // value_a · value_b · s_a · s_b, at scale 2^(4 · FractionBits).
                        BigInteger term = Exact(MxElements.Decode(a.Type, a.Codes[(m * a.Depth) + k])) * Exact(MxElements.Decode(b.Type, b.Codes[(n * b.Depth) + k]))
                            * Exact(sa) * Exact(sb);
                        if (accumulation == LowPrecisionAccumulation.SequentialFp32)
                        {
                            acc += Round(term, 4 * FractionBits);
                        }
                        else
                        {
                            block += term;
                        }
                    }

                    if (accumulation == LowPrecisionAccumulation.BlockExactThenFp32)
                    {
                        acc += Round(block, 4 * FractionBits);
                    }
                }

                y[(m * b.Rows) + n] = acc * a.RowScales[m] * b.RowScales[n];
            }
        }

        return y;
    }

    /// <summary>A finite float times 2^FractionBits, exactly (significand and exponent read from its bits).</summary>
    private static BigInteger Exact(float v)
    {
        int bits = BitConverter.SingleToInt32Bits(v);
        int biased = (bits >> 23) & 0xFF;
        BigInteger significand = biased == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
        BigInteger r = significand << (FractionBits + (biased == 0 ? 1 : biased) - 150);
        return v < 0 ? -r : r;
    }

    /// <summary>The fp32 nearest to n / 2^scale, ties to the even significand.</summary>
    private static float Round(BigInteger n, int scale)
    {
        if (n.IsZero)
        {
            return 0f;
        }

        // A close candidate, then its neighbours: the nearest of the three is the correctly rounded result.
        double approx = Math.ScaleB((double)(n >> (scale - 300)), -300);
        float c = (float)approx;
        float best = c;
        BigInteger bestError = BigInteger.Abs((Exact(c) << (scale - FractionBits)) - n);
        foreach (float candidate in new[] { MathF.BitDecrement(c), MathF.BitIncrement(c) })
        {
            if (!float.IsFinite(candidate))
            {
                continue;
            }

            BigInteger error = BigInteger.Abs((Exact(candidate) << (scale - FractionBits)) - n);
            if (error < bestError || (error == bestError && (BitConverter.SingleToInt32Bits(candidate) & 1) == 0))
            {
                (best, bestError) = (candidate, error);
            }
        }

        return best;
    }
}
