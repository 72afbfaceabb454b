namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FLOAT8E4M3FNUZ (ONNX type 18): bias 8, no infinities, no negative zero, the single NaN 0x80, largest finite 240,
/// smallest subnormal 2^-10.
/// </summary>
public static class Fp8E4M3FnUz
{
    private static readonly MiniFloatCodec s_codec = new(4, 3, 8, 0x7F, hasInfinity: false, MiniFloatCodec.NanEncoding.NegativeZero);

    /// <summary>The largest finite value.</summary>
    public static float MaxFinite => s_codec.MaxFinite;

    /// <summary>The exact value of <paramref name="code"/>; NaN codes give a quiet NaN with the code's sign.</summary>
    public static float Decode(byte code) => s_codec.Decode(code);

    /// <summary>Rounds to the nearest code, ties to even; <paramref name="saturate"/> clamps overflow and ±Inf to ±max
    /// (ONNX Cast/QuantizeLinear 'saturate'), otherwise they become NaN (0x80).</summary>
    public static byte Encode(float value, bool saturate = true) => (byte)s_codec.Encode(value, saturate);

    /// <summary>True when <paramref name="code"/> is NaN.</summary>
    public static bool IsNaN(byte code) => s_codec.IsNaN(code);
}
