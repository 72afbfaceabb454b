using FsCheck.Xunit;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

/// <summary>
/// The law the array ops rely on when they drop a block's zero padding (a conv with fewer channels than a block):
/// quantizing and multiplying blocks of just the real values gives the bits of full blocks padded with zeros.
/// </summary>
public sealed class OperandQuantizerTests
{
    [Property(MaxTest = 60)]
    public void ShortBlocks_GiveThePaddedBlocksProduct_BitForBit(int seed)
    {
        var rng = new Random(seed);
        BlockScaling scaling = rng.Next(2) == 0 ? BlockScaling.Mx : BlockScaling.NvFp4;
        MxElementType type = scaling == BlockScaling.NvFp4 ? MxElementType.Fp4E2M1 : new[] { MxElementType.Fp4E2M1, MxElementType.Fp8E4M3, MxElementType.Fp6E2M3 }[rng.Next(3)];
        int full = OperandQuantizer.BlockSize(scaling, 0);
        int channels = rng.Next(1, full), positions = rng.Next(1, 10), rows = rng.Next(1, 5), columns = rng.Next(1, 4);
        float[] x = Values(rng, rows * channels * positions);
        float[] w = Values(rng, columns * channels * positions);

        ScaledOperand shortA = OperandQuantizer.Quantize(x, rows, channels * positions, type, scaling, channels);
        ScaledOperand shortB = OperandQuantizer.Quantize(w, columns, channels * positions, type, scaling, channels);
        ScaledOperand paddedA = OperandQuantizer.Quantize(Pad(x, channels, full), rows, full * positions, type, scaling);
        ScaledOperand paddedB = OperandQuantizer.Quantize(Pad(w, channels, full), columns, full * positions, type, scaling);

        Assert.Equal(paddedA.BlockScales, shortA.BlockScales);
        Assert.Equal(paddedA.RowScales, shortA.RowScales);
        foreach (LowPrecisionAccumulation accumulation in Enum.GetValues<LowPrecisionAccumulation>())
        {
            Assert.Equal(
                ScaledMatMul.Compute(paddedA, paddedB, accumulation).Select(BitConverter.SingleToInt32Bits),
                ScaledMatMul.Compute(shortA, shortB, accumulation).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Quantize_RefusesBlocksLargerThanTheScalings()
    {
        Assert.Throws<ArgumentException>(() => OperandQuantizer.Quantize(new float[64], 1, 64, MxElementType.Fp4E2M1, BlockScaling.Mx, 64));
        Assert.Throws<ArgumentException>(() => OperandQuantizer.Quantize(new float[32], 1, 32, MxElementType.Fp4E2M1, BlockScaling.NvFp4, 32));
    }

    private static float[] Values(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.Next(6) == 0 ? 0f : (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-12, 12))))];

    /// <summary>Each run of <paramref name="channels"/> values followed by zeros up to <paramref name="full"/>.</summary>
    private static float[] Pad(float[] values, int channels, int full)
    {
        int runs = values.Length / channels;
        float[] padded = new float[runs * full];
        for (int i = 0; i < runs; i++)
        {
            values.AsSpan(i * channels, channels).CopyTo(padded.AsSpan(i * full));
        }

        return padded;
    }
}
