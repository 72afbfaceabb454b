namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FP6 E2M3 (OCP MX v1.0 §5.3.2), held as a 6-bit code in a byte: bias 1, largest value ±7.5, no Inf or NaN. Conversion
/// rounds to nearest, ties to even, and saturates: the MX spec defines overflow of FP6 elements as clamping to ±max.
/// </summary>
public static class Fp6E2M3
{
    private static readonly MiniFloatCodec s_codec = new(2, 3, 1, 0x1F, hasInfinity: false, MiniFloatCodec.NanEncoding.None);

    public static float MaxFinite => s_codec.MaxFinite;

    public static float Decode(byte code) => s_codec.Decode(code);

    public static byte Encode(float value) => (byte)s_codec.Encode(value, saturate: true);
}
