using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Tests.Formats;

public sealed class MiniFloatTests
{
    public static TheoryData<DataType> SignedMiniFloats => new()
    {
        DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ, DataType.Float4E2M1,
    };

    // Values from the format definitions (OCP FP8/MX specs, ONNX docs/Float8.md and float4.md), not from the code.
    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x7E, 448f)]
    [InlineData(DataType.Float8E4M3FN, 0x01, 0.001953125f)] // 2^-9
    [InlineData(DataType.Float8E4M3FN, 0x08, 0.015625f)] // 2^-6, smallest normal
    [InlineData(DataType.Float8E4M3FN, 0x38, 1f)]
    [InlineData(DataType.Float8E4M3FN, 0xC4, -3f)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x7F, 240f)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x01, 0.0009765625f)] // 2^-10
    [InlineData(DataType.Float8E4M3FNUZ, 0x40, 1f)]
    [InlineData(DataType.Float8E5M2, 0x7B, 57344f)]
    [InlineData(DataType.Float8E5M2, 0x01, 1.52587890625e-05f)] // 2^-16
    [InlineData(DataType.Float8E5M2, 0x3C, 1f)]
    [InlineData(DataType.Float8E5M2, 0x7C, float.PositiveInfinity)]
    [InlineData(DataType.Float8E5M2, 0xFC, float.NegativeInfinity)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x7F, 57344f)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x01, 7.62939453125e-06f)] // 2^-17
    [InlineData(DataType.Float8E5M2FNUZ, 0x40, 1f)]
    [InlineData(DataType.Float4E2M1, 0x1, 0.5f)]
    [InlineData(DataType.Float4E2M1, 0x2, 1f)]
    [InlineData(DataType.Float4E2M1, 0x3, 1.5f)]
    [InlineData(DataType.Float4E2M1, 0x4, 2f)]
    [InlineData(DataType.Float4E2M1, 0x5, 3f)]
    [InlineData(DataType.Float4E2M1, 0x6, 4f)]
    [InlineData(DataType.Float4E2M1, 0x7, 6f)]
    [InlineData(DataType.Float4E2M1, 0xF, -6f)]
    [InlineData(DataType.Float8E8M0, 127, 1f)]
    [InlineData(DataType.Float8E8M0, 0, 5.877471754111438e-39f)] // 2^-127
    [InlineData(DataType.Float8E8M0, 254, 1.7014118346046923e+38f)] // 2^127
    public void Decode_KnownCodes_GiveSpecValues(DataType type, int code, float expected) =>
        Assert.Equal(expected, MiniFloats.Decode(type, (byte)code));

    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x7F)]
    [InlineData(DataType.Float8E4M3FN, 0xFF)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x80)]
    [InlineData(DataType.Float8E5M2, 0x7D)]
    [InlineData(DataType.Float8E5M2, 0x7E)]
    [InlineData(DataType.Float8E5M2, 0xFF)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x80)]
    [InlineData(DataType.Float8E8M0, 0xFF)]
    public void Decode_NaNCodes_GiveNaN(DataType type, int code) => Assert.True(float.IsNaN(MiniFloats.Decode(type, (byte)code)));

    /// <summary>Law: every non-NaN code survives decode→encode (with and without saturation), -0 included where the
    /// format has it; a NaN code encodes back to a NaN code (E5M2's three NaN mantissas alias to S.11111.11).</summary>
    [Theory]
    [MemberData(nameof(SignedMiniFloats))]
    [InlineData(DataType.Float8E8M0)]
    public void DecodeEncode_RoundTripsEveryCode(DataType type)
    {
        for (int c = 0; c < MiniFloats.CodeCount(type); c++)
        {
            float v = MiniFloats.Decode(type, (byte)c);
            foreach (bool saturate in new[] { true, false })
            {
                byte back = MiniFloats.Encode(type, v, saturate);
                if (MiniFloats.IsNaN(type, (byte)c))
                {
                    Assert.True(MiniFloats.IsNaN(type, back), $"{type} NaN code {c:X2} re-encoded to non-NaN {back:X2}");
                }
                else if (!(float.IsInfinity(v) && saturate))
                {
                    Assert.True(c == back, $"{type} code {c:X2} ({v}) re-encoded to {back:X2} (saturate={saturate})");
                }
            }
        }
    }

    /// <summary>Law: positive finite codes decode strictly increasing, and negation flips only the sign bit.</summary>
    [Theory]
    [MemberData(nameof(SignedMiniFloats))]
    public void Decode_IsStrictlyIncreasingOnPositiveCodes(DataType type)
    {
        int signBit = MiniFloats.CodeCount(type) / 2;
        float previous = -1f;
        for (int c = 0; c < signBit; c++)
        {
            float v = MiniFloats.Decode(type, (byte)c);
            if (float.IsNaN(v) || float.IsInfinity(v))
            {
                continue;
            }

            Assert.True(v > previous, $"{type} code {c:X2}");
            previous = v;
            byte neg = (byte)(c | signBit);
            if (!MiniFloats.IsNaN(type, neg))
            {
                Assert.Equal(-v, MiniFloats.Decode(type, neg));
            }
        }
    }

    /// <summary>Law (RNE): the midpoint of two adjacent finite codes encodes to the one with the even code, and its float
    /// neighbours go to the nearer code.</summary>
    [Theory]
    [MemberData(nameof(SignedMiniFloats))]
    public void Encode_MidpointsTieToEven_NeighboursRoundToNearer(DataType type)
    {
        int signBit = MiniFloats.CodeCount(type) / 2;
        foreach (int sign in new[] { 0, signBit })
        {
            for (int c = 0; c + 1 < signBit; c++)
            {
                float lo = MiniFloats.Decode(type, (byte)(c | sign));
                float hi = MiniFloats.Decode(type, (byte)((c + 1) | sign));
                if (!float.IsFinite(lo) || !float.IsFinite(hi) || (sign != 0 && c == 0 && MiniFloats.IsNaN(type, (byte)sign)))
                {
                    continue;
                }

                float mid = (lo + hi) / 2;
                int even = (c % 2 == 0 ? c : c + 1) | sign;
                Assert.Equal(even, MiniFloats.Encode(type, mid, saturate: false));
                float towardHi = sign == 0 ? MathF.BitIncrement(mid) : MathF.BitDecrement(mid);
                float towardLo = sign == 0 ? MathF.BitDecrement(mid) : MathF.BitIncrement(mid);
                Assert.Equal((c + 1) | sign, MiniFloats.Encode(type, towardHi, saturate: false));
                Assert.Equal(c | sign, MiniFloats.Encode(type, towardLo, saturate: false));
            }
        }
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x7E)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x7F)]
    [InlineData(DataType.Float8E5M2, 0x7B)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x7F)]
    [InlineData(DataType.Float4E2M1, 0x7)]
    public void Encode_AboveMaxFiniteWithSaturate_SaturatesToMax(DataType type, int maxCode)
    {
        int signBit = MiniFloats.CodeCount(type) / 2;
        float max = MiniFloats.Decode(type, (byte)maxCode);
        foreach (float v in new[] { max * 2, max * 1000, float.MaxValue, float.PositiveInfinity })
        {
            Assert.Equal(maxCode, MiniFloats.Encode(type, v, saturate: true));
            Assert.Equal(maxCode | signBit, MiniFloats.Encode(type, -v, saturate: true));
        }
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x7F, 0xFF)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x80, 0x80)]
    [InlineData(DataType.Float8E5M2, 0x7C, 0xFC)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x80, 0x80)]
    public void Encode_AboveMaxFiniteWithoutSaturate_GivesInfOrNaN(DataType type, int positive, int negative)
    {
        float max = MiniFloats.Decode(type, type == DataType.Float8E4M3FN ? (byte)0x7E : type == DataType.Float8E5M2 ? (byte)0x7B : (byte)0x7F);
        foreach (float v in new[] { max * 4, float.MaxValue, float.PositiveInfinity })
        {
            Assert.Equal(positive, MiniFloats.Encode(type, v, saturate: false));
            Assert.Equal(negative, MiniFloats.Encode(type, -v, saturate: false));
        }
    }

    [Fact]
    public void Encode_JustAboveMaxButRoundingDown_StaysFinite()
    {
        // 448 < x < 464 rounds to 448 (E4M3FN); 464 is the tie between 448 (even mantissa) and the NaN slot.
        Assert.Equal(0x7E, Fp8E4M3Fn.Encode(464f, saturate: false));
        Assert.Equal(0x7F, Fp8E4M3Fn.Encode(MathF.BitIncrement(464f), saturate: false));
        // E5M2's max 57344 has an odd mantissa, so the tie 61440 (halfway to 2^16) rounds up out of range; ORT then
        // gives NaN below 2^16 and Inf from 2^16 on.
        Assert.Equal(0x7B, Fp8E5M2.Encode(MathF.BitDecrement(61440f), saturate: false));
        Assert.Equal(0x7F, Fp8E5M2.Encode(61440f, saturate: false));
        Assert.Equal(0xFF, Fp8E5M2.Encode(-61440f, saturate: false));
        Assert.Equal(0x7C, Fp8E5M2.Encode(65536f, saturate: false));
        Assert.Equal(0x7B, Fp8E5M2.Encode(61440f, saturate: true));
    }

    [Fact]
    public void Fp8E4M3Fn_Encode_OrtTruncationBand_GivesMaxWithoutSaturate()
    {
        Assert.Equal(0x7F, Fp8E4M3Fn.Encode(470f, saturate: false));
        Assert.Equal(0x7E, Fp8E4M3Fn.Encode(480f, saturate: false));
        Assert.Equal(0xFE, Fp8E4M3Fn.Encode(-495.9f, saturate: false));
        Assert.Equal(0x7F, Fp8E4M3Fn.Encode(496f, saturate: false));
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x7F)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x80)]
    [InlineData(DataType.Float8E5M2, 0x7F)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x80)]
    [InlineData(DataType.Float4E2M1, 0x7)]
    [InlineData(DataType.Float8E8M0, 0xFF)]
    public void Encode_PositiveNaN_GivesTheFormatsNaN(DataType type, int expected)
    {
        // .NET's float.NaN has the sign bit set (0xFFC00000); C's NAN does not.
        float nan = BitConverter.UInt32BitsToSingle(0x7FC00000);
        Assert.Equal(expected, MiniFloats.Encode(type, nan, saturate: true));
        Assert.Equal(expected, MiniFloats.Encode(type, nan, saturate: false));
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN, 0x80)]
    [InlineData(DataType.Float8E5M2, 0x80)]
    [InlineData(DataType.Float4E2M1, 0x8)]
    [InlineData(DataType.Float8E4M3FNUZ, 0x00)]
    [InlineData(DataType.Float8E5M2FNUZ, 0x00)]
    public void Encode_NegativeZero_KeepsSignOnlyWhereTheFormatHasMinusZero(DataType type, int expected)
    {
        Assert.Equal(expected, MiniFloats.Encode(type, -0f, saturate: true));
        Assert.Equal(expected, MiniFloats.Encode(type, -1e-30f, saturate: true));
    }

    [Theory]
    [InlineData(1f, 127, 127, 127)]
    [InlineData(1.25f, 128, 127, 127)]
    [InlineData(1.5f, 128, 127, 128)]
    [InlineData(-2f, 128, 128, 128)]
    [InlineData(3.5f, 129, 128, 129)]
    public void E8M0_Encode_RoundsExponentByMode(float value, int up, int down, int nearest)
    {
        Assert.Equal(up, E8M0.Encode(value, true, RoundingMode.Up));
        Assert.Equal(down, E8M0.Encode(value, true, RoundingMode.Down));
        Assert.Equal(nearest, E8M0.Encode(value, true, RoundingMode.NearestEven));
    }

    [Fact]
    public void E8M0_Encode_OverflowAndInfinity_SaturateOrNaN()
    {
        Assert.Equal(254, E8M0.Encode(float.MaxValue, saturate: true));
        Assert.Equal(255, E8M0.Encode(float.MaxValue, saturate: false));
        Assert.Equal(254, E8M0.Encode(float.PositiveInfinity, saturate: true));
        Assert.Equal(255, E8M0.Encode(float.PositiveInfinity, saturate: false));
    }

    [Fact]
    public void Rounding_ToInt32NearestEven_MatchesCvtps2dq()
    {
        Assert.Equal(2, Rounding.ToInt32NearestEven(2.5f));
        Assert.Equal(4, Rounding.ToInt32NearestEven(3.5f));
        Assert.Equal(-2, Rounding.ToInt32NearestEven(-2.5f));
        Assert.Equal(int.MinValue, Rounding.ToInt32NearestEven(float.NaN));
        Assert.Equal(int.MinValue, Rounding.ToInt32NearestEven(2147483648f));
        Assert.Equal(int.MinValue, Rounding.ToInt32NearestEven(-2147483904f));
        Assert.Equal(int.MinValue, Rounding.ToInt32NearestEven(-2147483648f));
    }
}
