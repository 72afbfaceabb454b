namespace SiliconSim.Numerics.Formats.Blocks;

/// <summary>Per-element-type constants and conversions of the OCP MX formats.</summary>
public static class MxElements
{
    /// <summary>Bits per element code.</summary>
    public static int Bits(MxElementType type) => type switch
    {
        MxElementType.Fp8E4M3 or MxElementType.Fp8E5M2 or MxElementType.Int8 => 8,
        MxElementType.Fp6E3M2 or MxElementType.Fp6E2M3 => 6,
        MxElementType.Fp4E2M1 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// emax_elem: the exponent of the element type's largest normal value (OCP MX v1.0 Table 1), the offset between a
    /// block's largest magnitude and its shared exponent.
    /// </summary>
    public static int MaxNormalExponent(MxElementType type) => type switch
    {
        MxElementType.Fp8E4M3 => 8,
        MxElementType.Fp8E5M2 => 15,
        MxElementType.Fp6E3M2 => 4,
        MxElementType.Fp6E2M3 => 2,
        MxElementType.Fp4E2M1 => 2,
        MxElementType.Int8 => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The exact value of an element code (before the block scale).</summary>
    public static float Decode(MxElementType type, byte code) => type switch
    {
        MxElementType.Fp8E4M3 => Fp8E4M3Fn.Decode(code),
        MxElementType.Fp8E5M2 => Fp8E5M2.Decode(code),
        MxElementType.Fp6E3M2 => Fp6E3M2.Decode(code),
        MxElementType.Fp6E2M3 => Fp6E2M3.Decode(code),
        MxElementType.Fp4E2M1 => Fp4E2M1.Decode(code),
        MxElementType.Int8 => (sbyte)code / 64f,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// Rounds an already-scaled value to the nearest element code, ties to even, clamping to ±max normal: OCP MX v1.0
    /// §6.3 converts elements "with saturation". MXINT8 clamps symmetrically to ±127 so negation stays exact.
    /// </summary>
    public static byte Encode(MxElementType type, float value) => type switch
    {
        MxElementType.Fp8E4M3 => Fp8E4M3Fn.Encode(value, saturate: true),
        MxElementType.Fp8E5M2 => Fp8E5M2.Encode(value, saturate: true),
        MxElementType.Fp6E3M2 => Fp6E3M2.Encode(value),
        MxElementType.Fp6E2M3 => Fp6E2M3.Encode(value),
        MxElementType.Fp4E2M1 => Fp4E2M1.Encode(value, saturate: true),
        MxElementType.Int8 => (byte)(sbyte)Math.Clamp(Math.Round(value * 64.0, MidpointRounding.ToEven), -127, 127),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Every distinct code of the type (for enumerating tests and tables).</summary>
    public static int CodeCount(MxElementType type) => 1 << Bits(type);
}
