using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

/// <summary>
/// The low-precision array's dot product against its exact-rational reference, over every element type, the three
/// scaling schemes' block sizes and scale kinds (E8M0 powers of two, E4M3 values, any fp32) and both accumulations.
/// </summary>
public sealed class ScaledMatMulTests
{
    [Property(MaxTest = 40)]
    public void Compute_EqualsTheExactReference_ForEveryTypeScaleAndAccumulation(int seed)
    {
        var rng = new Random(seed);
        foreach (MxElementType type in Enum.GetValues<MxElementType>())
        {
            int depth = rng.Next(1, 70);
            int blockSize = new[] { 16, 32, depth }[rng.Next(3)];
            int scaleKind = rng.Next(3);
            ScaledOperand a = Operand(rng, type, rng.Next(1, 4), depth, blockSize, scaleKind);
            ScaledOperand b = Operand(rng, type, rng.Next(1, 4), depth, blockSize, scaleKind);
            foreach (LowPrecisionAccumulation accumulation in Enum.GetValues<LowPrecisionAccumulation>())
            {
                float[] expected = ScaledMatMulReference.Compute(a, b, accumulation);
                float[] actual = ScaledMatMul.Compute(a, b, accumulation);
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void Compute_BlockExactRoundsTheBlockSumOnce_SequentialRoundsEveryAdd()
    {
        // Products 1, 2^-24, 2^-24 (16·16·2^-8 and 2^-8·2^-8·2^-8): the exact sum 1 + 2^-23 is an fp32; added one at a
        // time, each 2^-24 is half an ulp of 1 and ties back to the even 1.
        byte[] codes = [Code(16f), Code(MathF.ScaleB(1f, -8)), Code(MathF.ScaleB(1f, -8))];
        var a = new ScaledOperand(MxElementType.Fp8E4M3, 1, 3, 3, codes, [1f], [1f]);
        var b = a with { BlockScales = [MathF.ScaleB(1f, -8)] };

        Assert.Equal(1f + MathF.ScaleB(1f, -23), ScaledMatMul.Compute(a, b, LowPrecisionAccumulation.BlockExactThenFp32)[0]);
        Assert.Equal(1f, ScaledMatMul.Compute(a, b, LowPrecisionAccumulation.SequentialFp32)[0]);
    }

    [Fact]
    public void Compute_AppliesRowScalesLastInFp32()
    {
        var a = new ScaledOperand(MxElementType.Fp4E2M1, 1, 2, 2, [Fp4E2M1.Encode(3f), Fp4E2M1.Encode(1.5f)], [1f], [0.1f]);
        var b = new ScaledOperand(MxElementType.Fp4E2M1, 1, 2, 2, [Fp4E2M1.Encode(2f), Fp4E2M1.Encode(4f)], [1f], [0.3f]);

        // 3·2 + 1.5·4 = 12, then fl(fl(12 · 0.1) · 0.3).
        Assert.Equal(12f * 0.1f * 0.3f, ScaledMatMul.Compute(a, b, LowPrecisionAccumulation.BlockExactThenFp32)[0]);
    }

    private static byte Code(float v) => Fp8E4M3Fn.Encode(v);

    private static ScaledOperand Operand(Random rng, MxElementType type, int rows, int depth, int blockSize, int scaleKind)
    {
        int blocks = (depth + blockSize - 1) / blockSize;
        byte[] codes = new byte[rows * depth];
        for (int i = 0; i < codes.Length; i++)
        {
            do
            {
                codes[i] = (byte)rng.Next(MxElements.CodeCount(type));
            }
            while (!float.IsFinite(MxElements.Decode(type, codes[i])));
        }

        float[] blockScales = new float[rows * blocks];
        for (int i = 0; i < blockScales.Length; i++)
        {
            blockScales[i] = scaleKind switch
            {
                0 => E8M0.Decode((byte)rng.Next(100, 150)),
                1 => Fp8E4M3Fn.Decode((byte)rng.Next(1, 0x7F)),
                _ => (float)(rng.NextDouble() * 4),
            };
        }

        float[] rowScales = [.. Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() + 0.5))];
        return new ScaledOperand(type, rows, depth, blockSize, codes, blockScales, rowScales);
    }
}
