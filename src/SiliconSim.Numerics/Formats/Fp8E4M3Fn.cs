namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FLOAT8E4M3FN (ONNX type 17, OCP FP8 E4M3): bias 7, no infinities, NaN = S.1111.111, largest finite 448,
/// smallest subnormal 2^-9, signed zero.
/// </summary>
public static class Fp8E4M3Fn
{
    private static readonly MiniFloatCodec s_codec = new(4, 3, 7, 0x7E, hasInfinity: false, MiniFloatCodec.NanEncoding.AllOnes);

    /// <summary>The largest finite value.</summary>
    public static float MaxFinite => s_codec.MaxFinite;

    /// <summary>The exact value of <paramref name="code"/>; NaN codes give a quiet NaN with the code's sign.</summary>
    public static float Decode(byte code) => s_codec.Decode(code);

    /// <summary>
    /// Rounds to the nearest code, ties to even; <paramref name="saturate"/> clamps overflow and ±Inf to ±448 (ONNX
    /// Cast/QuantizeLinear 'saturate'), otherwise they become NaN (0x7F/0xFF with the input's sign). One ONNX Runtime
    /// quirk is reproduced: without saturation, |x| in [480, 496) gives ±448, not NaN, because ORT's float8.h first
    /// truncates the all-ones mantissa of that binade to 0x7E and then finds no rounding bit (verified through ORT's
    /// QuantizeLinear and Cast).
    /// </summary>
    public static byte Encode(float value, bool saturate = true)
    {
        float magnitude = MathF.Abs(value);
        if (!saturate && magnitude >= 480f && magnitude < 496f)
        {
            return value < 0 ? (byte)0xFE : (byte)0x7E;
        }

        return (byte)s_codec.Encode(value, saturate);
    }

    /// <summary>True when <paramref name="code"/> is NaN.</summary>
    public static bool IsNaN(byte code) => s_codec.IsNaN(code);
}
