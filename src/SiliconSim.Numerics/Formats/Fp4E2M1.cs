namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FLOAT4E2M1 (ONNX type 23, OCP MX FP4), held as a 4-bit code in a byte: bias 1, values ±{0, 0.5, 1, 1.5, 2, 3, 4, 6},
/// no Inf or NaN. Per the ONNX float4 spec (and ORT's float4.h) conversion always saturates: ±Inf and overflow give
/// ±6, and NaN gives +6 (0x7) whatever its sign.
/// </summary>
public static class Fp4E2M1
{
    private static readonly MiniFloatCodec s_codec = new(2, 1, 1, 0x7, hasInfinity: false, MiniFloatCodec.NanEncoding.None);

    /// <summary>The largest finite value.</summary>
    public static float MaxFinite => s_codec.MaxFinite;

    /// <summary>The exact value of <paramref name="code"/>; NaN codes give a quiet NaN with the code's sign.</summary>
    public static float Decode(byte code) => s_codec.Decode(code);

    /// <summary>Rounds to the nearest code, ties to even; <paramref name="saturate"/> clamps overflow and ±Inf to ±max
    /// (ONNX Cast/QuantizeLinear 'saturate'), otherwise they become ±6 as well (float4 always saturates).</summary>
    public static byte Encode(float value, bool saturate = true) => (byte)s_codec.Encode(value, saturate);

    /// <summary>True when <paramref name="code"/> is NaN.</summary>
    public static bool IsNaN(byte code) => s_codec.IsNaN(code);
}
