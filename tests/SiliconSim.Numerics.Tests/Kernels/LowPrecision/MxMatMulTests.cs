using System.Numerics;
using FsCheck.Xunit;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;
using SiliconSim.Numerics.Tests.Formats.Blocks;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

/// <summary>
/// The MX matmul against references built from the spec's definition: dequantize each operand (X · P, exact), then
/// either sum products one by one in fp32, or sum each block exactly (BigInteger) and round once.
/// </summary>
public sealed class MxMatMulTests
{
    [Property(MaxTest = 60)]
    public void SequentialFp32_EqualsAPlainFp32DotProductOfTheDequantizedOperands(int seed)
    {
        var rng = new Random(seed);
        foreach (MxElementType type in Enum.GetValues<MxElementType>())
        {
            (MxMatrix a, MxMatrix b, float[] fa, float[] fb) = Operands(rng, type);
            float[] y = MxMatMul.Compute(a, b, LowPrecisionAccumulation.SequentialFp32);
            for (int m = 0; m < a.Rows; m++)
            {
                for (int n = 0; n < b.Rows; n++)
                {
                    float acc = 0f;
                    for (int k = 0; k < a.Depth; k++)
                    {
                        acc += fa[(m * a.Depth) + k] * fb[(n * a.Depth) + k];
                    }

                    Assert.Equal(acc, y[(m * b.Rows) + n]);
                }
            }
        }
    }

    [Property(MaxTest = 60)]
    public void BlockExactThenFp32_RoundsEachExactBlockSumOnce(int seed)
    {
        var rng = new Random(seed);
        foreach (MxElementType type in Enum.GetValues<MxElementType>())
        {
            (MxMatrix a, MxMatrix b, float[] fa, float[] fb) = Operands(rng, type);
            float[] y = MxMatMul.Compute(a, b, LowPrecisionAccumulation.BlockExactThenFp32);
            for (int m = 0; m < a.Rows; m++)
            {
                for (int n = 0; n < b.Rows; n++)
                {
                    float acc = 0f;
                    for (int start = 0; start < a.Depth; start += 32)
                    {
                        // Exact: every dequantized value is an integer multiple of 2^-200 at these scales.
                        BigInteger sum = BigInteger.Zero;
                        for (int k = start; k < Math.Min(a.Depth, start + 32); k++)
                        {
                            sum += Exact(fa[(m * a.Depth) + k]) * Exact(fb[(n * a.Depth) + k]);
                        }

                        acc += ExactRoundingTests.NearestFloat(sum, -400);
                    }

                    Assert.Equal(acc, y[(m * b.Rows) + n]);
                }
            }
        }
    }

    [Fact]
    public void TheTwoSemantics_DifferWhenSmallProductsFollowALargeOne()
    {
        // 2^24 then 31 ones: sequential fp32 rounds each +1 away (a tie to even); the exact block sum keeps all 31.
        float[] a = new float[32];
        float[] b = new float[32];
        a[0] = 4096f;
        b[0] = 4096f;
        for (int k = 1; k < 32; k++)
        {
            a[k] = 1f;
            b[k] = 1f;
        }

        var ma = MxMatrix.FromFloats(MxElementType.Fp8E4M3, 1, 32, a);
        var mb = MxMatrix.FromFloats(MxElementType.Fp8E4M3, 1, 32, b);
        float sequential = MxMatMul.Compute(ma, mb, LowPrecisionAccumulation.SequentialFp32)[0];
        float exact = MxMatMul.Compute(ma, mb, LowPrecisionAccumulation.BlockExactThenFp32)[0];
        Assert.NotEqual(sequential, exact);
    }

    private static BigInteger Exact(float value) => new BigInteger(Math.ScaleB((double)value, 200));

    private static (MxMatrix A, MxMatrix B, float[] Fa, float[] Fb) Operands(Random rng, MxElementType type)
    {
        int m = rng.Next(1, 4), n = rng.Next(1, 4), k = rng.Next(1, 80);
        MxMatrix a = MxMatrix.FromFloats(type, m, k, MxBlockCodecTests.RandomBlockValues(rng, m * k));
        MxMatrix b = MxMatrix.FromFloats(type, n, k, MxBlockCodecTests.RandomBlockValues(rng, n * k));
        return (a, b, Dequantize(a), Dequantize(b));
    }

    private static float[] Dequantize(MxMatrix x)
    {
        float[] values = new float[x.Codes.Length];
        for (int r = 0; r < x.Rows; r++)
        {
            MxBlockCodec.Dequantize(x.Codes.AsSpan(r * x.Depth, x.Depth), x.Scales.AsSpan(r * x.BlocksPerRow, x.BlocksPerRow), x.Type, values.AsSpan(r * x.Depth, x.Depth));
        }

        return values;
    }
}
