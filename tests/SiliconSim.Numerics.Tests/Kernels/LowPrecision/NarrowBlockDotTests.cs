using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

/// <summary>
/// The 64-bit block-sum path of <see cref="ScaledMatMul"/> against the 128-bit path and the BigInteger reference, bit
/// for bit: random element types, block sizes that do not divide the depth, and the extreme scales (NaN, Inf, zero,
/// E8M0's smallest and largest, fp32 subnormals, negative), largest and subnormal element codes.
/// </summary>
public sealed class NarrowBlockDotTests
{
    [Property(MaxTest = 60)]
    public void Compute_EqualsTheWidePathAndTheReference_BitForBit(int seed)
    {
        var rng = new Random(seed);
        MxElementType type = Enum.GetValues<MxElementType>()[rng.Next(Enum.GetValues<MxElementType>().Length)];
        int depth = rng.Next(1, 80);
        int blockSize = new[] { 16, 32, depth, rng.Next(1, 40) }[rng.Next(4)];
        int scaleKind = rng.Next(5);
        ScaledOperand a = Operand(rng, type, rng.Next(1, 5), depth, blockSize, scaleKind);
        ScaledOperand b = Operand(rng, type, rng.Next(1, 5), depth, blockSize, scaleKind);
        foreach (LowPrecisionAccumulation accumulation in Enum.GetValues<LowPrecisionAccumulation>())
        {
            int[] wide = Bits(ScaledMatMul.ComputeWide(a, b, accumulation));
            Assert.Equal(Bits(ScaledMatMulReference.Compute(a, b, accumulation)), wide);
            Assert.Equal(wide, Bits(ScaledMatMul.Compute(a, b, accumulation)));
            Assert.Equal(wide, Bits(ScaledMatMul.Compute(a, b, accumulation, new Parallelism(3))));
        }
    }

    [Theory]
    [InlineData(MxElementType.Fp4E2M1, 32, 0)]
    [InlineData(MxElementType.Fp4E2M1, 16, 1)]
    [InlineData(MxElementType.Fp8E4M3, 32, 0)]
    [InlineData(MxElementType.Fp8E4M3, 1000, 0)]
    [InlineData(MxElementType.Fp6E2M3, 32, 0)]
    [InlineData(MxElementType.Fp6E3M2, 32, 0)]
    [InlineData(MxElementType.Int8, 32, 0)]
    public void FitsNarrowPath_HoldsForMxAndNvFp4Blocks_EvenAtTheLargestCodes(MxElementType type, int depth, int scaleKind)
    {
        // Every element the type's largest magnitude, every scale the kind's largest significand: the worst case.
        byte max = Enumerable.Range(0, MxElements.CodeCount(type)).Select(c => (byte)c)
            .Where(c => float.IsFinite(MxElements.Decode(type, c))).MaxBy(c => Math.Abs(MxElements.Decode(type, c)));
        int blockSize = scaleKind == 1 ? NvFp4Codec.BlockSize : Math.Min(depth, MxBlockCodec.BlockSize);
        int blocks = (depth + blockSize - 1) / blockSize;
        float scale = scaleKind == 1 ? Fp8E4M3Fn.Decode(0x7E) : E8M0.Decode(254);
        var a = new ScaledOperand(type, 2, depth, blockSize, [.. Enumerable.Repeat(max, 2 * depth)], [.. Enumerable.Repeat(scale, 2 * blocks)], [1f, 1f]);

        Assert.True(ScaledMatMul.FitsNarrowPath(a, a));
    }

    [Fact]
    public void FitsNarrowPath_IsFalseForTheLargestE5M2Codes()
    {
        // 57344 · 2^16 needs 32 bits: beyond an int lane, so the 128-bit path takes these.
        var a = new ScaledOperand(MxElementType.Fp8E5M2, 1, 1, 1, [0x7B], [1f], [1f]);

        Assert.False(ScaledMatMul.FitsNarrowPath(a, a));
        Assert.Equal(57344f * 57344f, ScaledMatMul.Compute(a, a, LowPrecisionAccumulation.BlockExactThenFp32)[0]);
    }

    [Property(MaxTest = 300)]
    public void ToFloat_Long_EqualsTheInt128Rounding(int seed)
    {
        var rng = new Random(seed);
        long n = rng.Next(6) switch
        {
            0 => long.MinValue + rng.Next(3),
            1 => long.MaxValue - rng.Next(3),
            2 => rng.Next(-(1 << 25), 1 << 25),
            3 => (rng.Next(2) == 0 ? 1 : -1) * ((1L << rng.Next(0, 63)) + rng.Next(-1, 2)),
            _ => rng.NextInt64(long.MinValue, long.MaxValue) >> rng.Next(0, 63),
        };
        int exponent = rng.Next(-260, 120);

        Assert.Equal(BitConverter.SingleToInt32Bits(ExactRounding.ToFloat((Int128)n, exponent)), BitConverter.SingleToInt32Bits(ExactRounding.ToFloat(n, exponent)));
    }

    [Theory]
    [InlineData(long.MinValue, -213)] // |n| = 2^63 exactly half the smallest subnormal: ties to zero
    [InlineData(long.MaxValue, -213)] // just below the half: zero
    [InlineData(-(1L << 62) - 1, -212)] // just above the half of 2^-149: the smallest subnormal
    [InlineData(long.MinValue, 64)] // 2^127: still finite
    [InlineData(long.MaxValue, 65)] // beyond fp32: Inf
    public void ToFloat_Long_AtTheEdgesOfTheShift_MatchesInt128(long n, int exponent)
    {
        Assert.Equal(BitConverter.SingleToInt32Bits(ExactRounding.ToFloat((Int128)n, exponent)), BitConverter.SingleToInt32Bits(ExactRounding.ToFloat(n, exponent)));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static ScaledOperand Operand(Random rng, MxElementType type, int rows, int depth, int blockSize, int scaleKind)
    {
        var finite = Enumerable.Range(0, MxElements.CodeCount(type)).Select(c => (byte)c).Where(c => float.IsFinite(MxElements.Decode(type, c))).ToArray();
        byte largest = finite.MaxBy(c => Math.Abs(MxElements.Decode(type, c)));
        byte smallest = finite.Where(c => MxElements.Decode(type, c) != 0).MinBy(c => Math.Abs(MxElements.Decode(type, c)));
        int blocks = (depth + blockSize - 1) / blockSize;
        byte[] codes = new byte[rows * depth];
        for (int i = 0; i < codes.Length; i++)
        {
            // Mostly random codes, some runs of the largest and the smallest subnormal (with either sign).
            codes[i] = rng.Next(8) switch
            {
                0 => largest,
                1 => smallest,
                2 => (byte)(largest | (1 << (MxElements.Bits(type) - 1))),
                _ => finite[rng.Next(finite.Length)],
            };
        }

        float[] blockScales = new float[rows * blocks];
        for (int i = 0; i < blockScales.Length; i++)
        {
            blockScales[i] = scaleKind switch
            {
                0 => E8M0.Decode((byte)rng.Next(0, 255)),
                1 => Fp8E4M3Fn.Decode((byte)rng.Next(0, 0x7F)),
                2 => rng.Next(4) == 0 ? -Fp8E4M3Fn.Decode((byte)rng.Next(1, 0x7F)) : MathF.ScaleB(1f, rng.Next(-149, 128)),
                3 => (float)(rng.NextDouble() * 4),
                _ => rng.Next(10) switch
                {
                    0 => float.NaN,
                    1 => float.PositiveInfinity,
                    2 => 0f,
                    3 => E8M0.Decode(254),
                    4 => E8M0.Decode(0),
                    _ => Fp8E4M3Fn.Decode((byte)rng.Next(0, 0x7F)),
                },
            };
        }

        float[] rowScales = [.. Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() + 0.5))];
        return new ScaledOperand(type, rows, depth, blockSize, codes, blockScales, rowScales);
    }
}
