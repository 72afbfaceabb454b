namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FLOAT8E5M2 (ONNX type 19, OCP FP8 E5M2): IEEE-like with bias 15, ±Inf = S.11111.00, NaN = S.11111.xx (xx ≠ 0),
/// largest finite 57344, smallest subnormal 2^-16.
/// </summary>
public static class Fp8E5M2
{
    private static readonly MiniFloatCodec s_codec = new(5, 2, 15, 0x7B, hasInfinity: true, MiniFloatCodec.NanEncoding.Ieee);

    /// <summary>The largest finite value.</summary>
    public static float MaxFinite => s_codec.MaxFinite;

    /// <summary>The exact value of <paramref name="code"/>; NaN codes give a quiet NaN with the code's sign.</summary>
    public static float Decode(byte code) => s_codec.Decode(code);

    /// <summary>
    /// Rounds to the nearest code, ties to even; <paramref name="saturate"/> clamps overflow and ±Inf to ±max (ONNX
    /// Cast/QuantizeLinear 'saturate'). Without saturation ±Inf and |x| ≥ 2^16 become ±Inf, but a finite |x| in
    /// [61440, 65536), which overflows only by rounding up from 57344, becomes NaN (S.11111.11): ONNX Runtime's
    /// float8.h does this (verified through its Cast), where the ONNX Cast table says ±Inf.
    /// </summary>
    public static byte Encode(float value, bool saturate = true)
    {
        int code = s_codec.Encode(value, saturate);
        if (!saturate && (code & 0x7F) == 0x7C && MathF.Abs(value) < 65536f)
        {
            return (byte)(code | 0x7F);
        }

        return (byte)code;
    }

    /// <summary>True when <paramref name="code"/> is NaN.</summary>
    public static bool IsNaN(byte code) => s_codec.IsNaN(code);
}
