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
