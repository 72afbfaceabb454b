using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Tests.Formats.Blocks;

/// <summary>
/// The OCP MX block formats against the spec's facts and a brute-force oracle: every chosen element code must be the
/// nearest code to V/X (ties to the even code), found by searching all codes rather than by the codec's arithmetic.
/// </summary>
public sealed class MxBlockCodecTests
{
    public static TheoryData<MxElementType> ElementTypes() => new(Enum.GetValues<MxElementType>());

    [Theory]
    [InlineData(MxElementType.Fp8E4M3, 448f, 0.001953125f)]
    [InlineData(MxElementType.Fp8E5M2, 57344f, 1.52587890625e-05f)]
    [InlineData(MxElementType.Fp6E3M2, 28f, 0.0625f)]
    [InlineData(MxElementType.Fp6E2M3, 7.5f, 0.125f)]
    [InlineData(MxElementType.Fp4E2M1, 6f, 0.5f)]
    [InlineData(MxElementType.Int8, 127f / 64, 1f / 64)]
    public void ElementRange_IsTheSpecsLargestNormalAndSmallestPositiveValue(MxElementType type, float max, float minPositive)
    {
        float[] values = Codes(type).Select(c => MxElements.Decode(type, c)).Where(float.IsFinite).ToArray();
        Assert.Equal(max, values.Max());
        Assert.Equal(minPositive, values.Where(v => v > 0).Min());
        Assert.Equal(MxElements.MaxNormalExponent(type), Math.ILogB((double)max));
    }

    [Theory]
    [MemberData(nameof(ElementTypes))]
    public void EncodeDecode_RoundTripsEveryFiniteCode(MxElementType type)
    {
        foreach (byte code in Codes(type))
        {
            float value = MxElements.Decode(type, code);
            if (float.IsFinite(value))
            {
                Assert.Equal(value, MxElements.Decode(type, MxElements.Encode(type, value)));
            }
        }
    }

    [Property(MaxTest = 200)]
    public void Quantize_PicksTheSpecsSharedExponentAndTheNearestElementCodes(int seed)
    {
        var rng = new Random(seed);
        foreach (MxElementType type in Enum.GetValues<MxElementType>())
        {
            float[] values = RandomBlockValues(rng, rng.Next(1, 70));
            byte[] codes = new byte[values.Length];
            byte[] scales = new byte[MxBlockCodec.ScaleCount(values.Length)];
            MxBlockCodec.Quantize(values, type, codes, scales);
            for (int b = 0; b < scales.Length; b++)
            {
                float[] block = values.Skip(b * 32).Take(32).ToArray();
                double maxAbs = block.Max(v => Math.Abs((double)v));
                int expectedExponent = maxAbs == 0 ? -127 : Math.Clamp((int)Math.Floor(Math.Log2(maxAbs)) - MxElements.MaxNormalExponent(type), -127, 127);
                Assert.Equal(expectedExponent + 127, scales[b]);
                for (int i = 0; i < block.Length; i++)
                {
                    double scaled = block[i] / Math.Pow(2, expectedExponent);
                    Assert.Equal(Nearest(type, scaled), MxElements.Decode(type, codes[(b * 32) + i]));
                }
            }
        }
    }

    [Property(MaxTest = 200)]
    public void DequantizeQuantize_RoundTripsBlocksThatAreExactlyRepresentable(int seed)
    {
        var rng = new Random(seed);
        foreach (MxElementType type in Enum.GetValues<MxElementType>())
        {
            // A block X·P with the largest |P| in the top binade has exactly X as its scale, so it must come back unchanged.
            byte[] finite = Codes(type).Where(c => float.IsFinite(MxElements.Decode(type, c))).ToArray();
            byte[] top = finite.Where(c => Math.Abs(MxElements.Decode(type, c)) >= Math.Pow(2, MxElements.MaxNormalExponent(type))).ToArray();
            int n = rng.Next(1, 33);
            byte[] codes = Enumerable.Range(0, n).Select(_ => finite[rng.Next(finite.Length)]).ToArray();
            codes[rng.Next(n)] = top[rng.Next(top.Length)];
            byte[] scales = [(byte)rng.Next(127 - 40, 127 + 40)];
            float[] values = new float[n];
            MxBlockCodec.Dequantize(codes, scales, type, values);

            byte[] codes2 = new byte[n];
            byte[] scales2 = new byte[1];
            MxBlockCodec.Quantize(values, type, codes2, scales2);
            Assert.Equal(scales, scales2);
            Assert.Equal(codes.Select(c => MxElements.Decode(type, c)), codes2.Select(c => MxElements.Decode(type, c)));
        }
    }

    [Fact]
    public void Quantize_AllZeroBlock_GetsTheSmallestScaleAndZeroCodes()
    {
        byte[] codes = new byte[32];
        byte[] scales = new byte[1];
        MxBlockCodec.Quantize(new float[32], MxElementType.Fp4E2M1, codes, scales);
        Assert.Equal(0, scales[0]);
        Assert.All(codes, c => Assert.Equal(0, c));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Quantize_BlockWithNonFiniteValue_GetsTheNaNScale_AndDecodesToNaN(float special)
    {
        float[] values = Enumerable.Repeat(1f, 40).ToArray();
        values[3] = special;
        byte[] codes = new byte[40];
        byte[] scales = new byte[2];
        MxBlockCodec.Quantize(values, MxElementType.Fp8E4M3, codes, scales);
        Assert.Equal(E8M0.NaN, scales[0]);
        Assert.Equal(127 - 8, scales[1]); // 1 = 2^0 and E4M3's emax is 8

        float[] back = new float[40];
        MxBlockCodec.Dequantize(codes, scales, MxElementType.Fp8E4M3, back);
        Assert.All(back.Take(32), v => Assert.True(float.IsNaN(v)));
        Assert.All(back.Skip(32), v => Assert.Equal(1f, v));
    }

    // MXINT8's code 0x80 (-2) decodes but is never produced: the conversion clamps symmetrically to ±127/64.
    internal static byte[] Codes(MxElementType type) =>
        Enumerable.Range(0, MxElements.CodeCount(type)).Where(c => type != MxElementType.Int8 || c != 0x80).Select(c => (byte)c).ToArray();

    internal static float[] RandomBlockValues(Random rng, int n)
    {
        // Mixed magnitudes across a few binades with a random block exponent, plus exact zeros and ties.
        int exponent = rng.Next(-30, 30);
        return Enumerable.Range(0, n).Select(_ => rng.Next(8) switch
        {
            0 => 0f,
            1 => MathF.ScaleB(rng.Next(-64, 64) / 8f, exponent),
            _ => MathF.ScaleB((float)((rng.NextDouble() * 2) - 1) * MathF.ScaleB(1, rng.Next(-6, 1)), exponent),
        }).ToArray();
    }

    // The value of the nearest finite code to x, saturating, ties to the code whose last bit is 0 (the even mantissa; the
    // even integer for INT8): a search over all codes, independent of the codec's arithmetic.
    private static float Nearest(MxElementType type, double x)
    {
        var candidates = Codes(type).Select(c => (Code: c, Value: MxElements.Decode(type, c))).Where(p => float.IsFinite(p.Value)).ToArray();
        double max = candidates.Max(p => p.Value);
        double clamped = Math.Clamp(x, -max, max);
        double best = candidates.Min(p => Math.Abs(p.Value - clamped));
        var nearest = candidates.Where(p => Math.Abs(p.Value - clamped) == best).ToArray();
        var pick = nearest.Length == 1 ? nearest[0] : nearest.First(p => (p.Code & 1) == 0);
        return pick.Value == 0 ? 0f : pick.Value;
    }
}
