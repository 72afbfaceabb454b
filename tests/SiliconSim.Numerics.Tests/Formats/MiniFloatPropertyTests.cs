using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Tests.Formats;

public sealed class MiniFloatPropertyTests
{
    private static readonly DataType[] s_types =
        [DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ, DataType.Float4E2M1, DataType.Float8E8M0];

    // Random fp32 bit patterns, biased toward the small formats' range by scaling the exponent.
    private static float Value(int seed, int salt)
    {
        var r = new Random(seed ^ (salt * 7919));
        return r.Next(4) switch
        {
            0 => BitConverter.Int32BitsToSingle(r.Next() | (r.Next(2) << 31)),
            _ => (float)((r.NextDouble() * 2) - 1) * MathF.ScaleB(1f, r.Next(-20, 20)),
        };
    }

    /// <summary>Law: encoding a decoded code gives the same code back, so Encode is idempotent through Decode.</summary>
    [Property(MaxTest = 200)]
    public void EncodeDecodeEncode_IsIdempotent(int seed)
    {
        foreach (DataType type in s_types)
        {
            foreach (bool saturate in new[] { true, false })
            {
                float x = Value(seed, (int)type);
                byte once = MiniFloats.Encode(type, x, saturate);
                byte twice = MiniFloats.Encode(type, MiniFloats.Decode(type, once), saturate);
                Assert.True(once == twice || (MiniFloats.IsNaN(type, once) && MiniFloats.IsNaN(type, twice)), $"{type} x={x:R} sat={saturate}: {once:X2} then {twice:X2}");
            }
        }
    }

    /// <summary>Law: rounding is monotonic: x ≤ y implies decode(encode(x)) ≤ decode(encode(y)) whenever neither is NaN.</summary>
    [Property(MaxTest = 200)]
    public void Encode_IsMonotonic(int seed)
    {
        foreach (DataType type in s_types)
        {
            foreach (bool saturate in new[] { true, false })
            {
                float a = Value(seed, 1 + (int)type);
                float b = Value(seed, 100 + (int)type);
                if (float.IsNaN(a) || float.IsNaN(b) || (type == DataType.Float8E8M0 && (a < 0 || b < 0)))
                {
                    continue;
                }

                (float lo, float hi) = a <= b ? (a, b) : (b, a);
                float qlo = MiniFloats.Decode(type, MiniFloats.Encode(type, lo, saturate));
                float qhi = MiniFloats.Decode(type, MiniFloats.Encode(type, hi, saturate));
                Assert.True(float.IsNaN(qlo) || float.IsNaN(qhi) || qlo <= qhi, $"{type} sat={saturate}: {lo:R}→{qlo:R} > {hi:R}→{qhi:R}");
            }
        }
    }

    /// <summary>Law: the encoded value is a nearest representable value (no code is strictly closer), for finite
    /// in-range inputs of the sign/exponent/mantissa formats.</summary>
    [Property(MaxTest = 200)]
    public void Encode_PicksANearestCode(int seed)
    {
        foreach (DataType type in s_types[..5])
        {
            float x = Value(seed, 200 + (int)type);
            float q = MiniFloats.Decode(type, MiniFloats.Encode(type, x, saturate: true));
            if (!float.IsFinite(x))
            {
                continue;
            }

            double err = Math.Abs((double)q - x);
            for (int c = 0; c < MiniFloats.CodeCount(type); c++)
            {
                float v = MiniFloats.Decode(type, (byte)c);
                if (float.IsFinite(v))
                {
                    Assert.True(Math.Abs((double)v - x) >= err, $"{type} x={x:R}: chose {q:R} but {v:R} is closer");
                }
            }
        }
    }
}
