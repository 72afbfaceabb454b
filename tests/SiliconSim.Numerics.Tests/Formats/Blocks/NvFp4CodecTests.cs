using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Tests.Formats.Blocks;

public sealed class NvFp4CodecTests
{
    [Property(MaxTest = 200)]
    public void Quantize_FollowsTheTwoLevelRecipe_WithNearestCodesAtEachLevel(int seed)
    {
        var rng = new Random(seed);
        float[] values = MxBlockCodecTests.RandomBlockValues(rng, rng.Next(1, 80));
        byte[] codes = new byte[values.Length];
        byte[] scales = new byte[NvFp4Codec.ScaleCount(values.Length)];
        float tensorScale = NvFp4Codec.Quantize(values, codes, scales);

        float tensorMax = values.Max(MathF.Abs);
        Assert.Equal(tensorMax == 0 ? 1f : tensorMax / 2688f, tensorScale);
        for (int b = 0; b < scales.Length; b++)
        {
            float[] block = values.Skip(b * 16).Take(16).ToArray();
            float wanted = block.Max(MathF.Abs) / 6f / tensorScale;
            Assert.Equal(NearestCode(Fp8E4M3Fn.Decode, 256, wanted, 448f), Fp8E4M3Fn.Decode(scales[b]));
            float divisor = Fp8E4M3Fn.Decode(scales[b]) * tensorScale;
            for (int i = 0; i < block.Length; i++)
            {
                float expected = divisor == 0 ? 0f : NearestCode(Fp4E2M1.Decode, 16, block[i] / divisor, 6f);
                Assert.Equal(expected, Fp4E2M1.Decode(codes[(b * 16) + i]) + 0f);
            }
        }
    }

    [Property(MaxTest = 100)]
    public void DequantizedValues_StayWithinHalfAnElementStepOfTheInput(int seed)
    {
        var rng = new Random(seed);
        float[] values = MxBlockCodecTests.RandomBlockValues(rng, 48);
        byte[] codes = new byte[48];
        byte[] scales = new byte[3];
        float tensorScale = NvFp4Codec.Quantize(values, codes, scales);
        float[] back = new float[48];
        NvFp4Codec.Dequantize(codes, scales, tensorScale, back);
        for (int i = 0; i < 48; i++)
        {
            float step = Fp8E4M3Fn.Decode(scales[i / 16]) * tensorScale;
            // E2M1's widest gap is 2 (between 4 and 6); saturation of a block max rounded down by the E4M3 scale adds at most one more gap.
            Assert.True(Math.Abs(back[i] - values[i]) <= (2 * step) + 1e-30f, $"element {i}: {values[i]} came back as {back[i]}");
        }
    }

    [Property(MaxTest = 200)]
    public void Quantize_WithAGivenTensorScale_FollowsTheRecipeUnderThatScale(int seed)
    {
        // A static (calibrated) tensor scale: anything from far below to far above the values' own amax / 2688, so
        // block scales both saturate at 448 and fall into E4M3's subnormals.
        var rng = new Random(seed);
        float[] values = MxBlockCodecTests.RandomBlockValues(rng, rng.Next(1, 80));
        float tensorScale = (float)Math.Pow(2, rng.Next(-24, 8)) * (float)(1 + rng.NextDouble());
        byte[] codes = new byte[values.Length];
        byte[] scales = new byte[NvFp4Codec.ScaleCount(values.Length)];
        NvFp4Codec.Quantize(values, tensorScale, codes, scales);

        for (int b = 0; b < scales.Length; b++)
        {
            float[] block = values.Skip(b * 16).Take(16).ToArray();
            float wanted = block.Max(MathF.Abs) / 6f / tensorScale;
            Assert.Equal(NearestCode(Fp8E4M3Fn.Decode, 256, wanted, 448f), Fp8E4M3Fn.Decode(scales[b]));
            float divisor = Fp8E4M3Fn.Decode(scales[b]) * tensorScale;
            for (int i = 0; i < block.Length; i++)
            {
                float expected = divisor == 0 ? 0f : NearestCode(Fp4E2M1.Decode, 16, block[i] / divisor, 6f);
                Assert.Equal(expected, Fp4E2M1.Decode(codes[(b * 16) + i]) + 0f);
            }
        }
    }

    [Fact]
    public void Quantize_WithATensorScaleBelowTheValues_SaturatesBlockScaleAndElements()
    {
        // amax 3000 under a scale of 1: 3000 / 6 = 500 > 448, so the block scale is 448 and 3000 / 448 = 6.7 saturates
        // to 6; 100 / 448 = 0.22 rounds to 0 (nearer than 0.5), -700 / 448 = -1.56 to -1.5.
        float[] values = [3000f, 100f, -700f];
        byte[] codes = new byte[3];
        byte[] scales = new byte[1];
        NvFp4Codec.Quantize(values, 1f, codes, scales);
        Assert.Equal(448f, Fp8E4M3Fn.Decode(scales[0]));
        Assert.Equal([6f, 0f, -1.5f], codes.Select(c => Fp4E2M1.Decode(c) + 0f));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Quantize_WithATensorScaleThatIsNotFinitePositive_Throws(float tensorScale)
    {
        Assert.Throws<ArgumentException>(() => NvFp4Codec.Quantize([1f], tensorScale, new byte[1], new byte[1]));
    }

    [Fact]
    public void TensorScale_PutsTheAmaxOnTheLargestBlockScaleTimesTheLargestElement()
    {
        Assert.Equal(1f, NvFp4Codec.TensorScale(2688f));
        Assert.Equal(1f, NvFp4Codec.TensorScale(0f));
        Assert.Equal(0.5f / 2688f, NvFp4Codec.TensorScale(0.5f));
    }

    // Nearest finite value among all codes, saturating at ±max, ties to the even code; +0 for zero.
    private static float NearestCode(Func<byte, float> decode, int count, float x, float max)
    {
        var candidates = Enumerable.Range(0, count).Select(c => (Code: c, Value: decode((byte)c))).Where(p => float.IsFinite(p.Value)).ToArray();
        float clamped = Math.Clamp(x, -max, max);
        float best = candidates.Min(p => Math.Abs(p.Value - clamped));
        var nearest = candidates.Where(p => Math.Abs(p.Value - clamped) == best).ToArray();
        var pick = nearest.Length == 1 ? nearest[0] : nearest.First(p => (p.Code & 1) == 0);
        return pick.Value + 0f;
    }
}
