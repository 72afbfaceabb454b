namespace SiliconSim.Numerics.Formats;

/// <summary>Dispatches the 8- and 4-bit float codecs by <see cref="DataType"/>.</summary>
public static class MiniFloats
{
    /// <summary>True for the float8 and float4 types held as byte codes.</summary>
    public static bool IsMiniFloat(DataType type) => type is DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ
        or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float8E8M0 or DataType.Float4E2M1;

    /// <summary>The exact value of <paramref name="code"/> in <paramref name="type"/>.</summary>
    public static float Decode(DataType type, byte code) => type switch
    {
        DataType.Float8E4M3FN => Fp8E4M3Fn.Decode(code),
        DataType.Float8E4M3FNUZ => Fp8E4M3FnUz.Decode(code),
        DataType.Float8E5M2 => Fp8E5M2.Decode(code),
        DataType.Float8E5M2FNUZ => Fp8E5M2FnUz.Decode(code),
        DataType.Float8E8M0 => E8M0.Decode(code),
        DataType.Float4E2M1 => Fp4E2M1.Decode(code),
        _ => throw new ArgumentException($"{DataTypeInfo.Name(type)} is not an 8- or 4-bit float type", nameof(type)),
    };

    /// <summary>Encodes with the type's ONNX Cast semantics (round to nearest even; E8M0 rounds 'up').</summary>
    public static byte Encode(DataType type, float value, bool saturate) => type switch
    {
        DataType.Float8E4M3FN => Fp8E4M3Fn.Encode(value, saturate),
        DataType.Float8E4M3FNUZ => Fp8E4M3FnUz.Encode(value, saturate),
        DataType.Float8E5M2 => Fp8E5M2.Encode(value, saturate),
        DataType.Float8E5M2FNUZ => Fp8E5M2FnUz.Encode(value, saturate),
        DataType.Float8E8M0 => E8M0.Encode(value, saturate),
        DataType.Float4E2M1 => Fp4E2M1.Encode(value, saturate),
        _ => throw new ArgumentException($"{DataTypeInfo.Name(type)} is not an 8- or 4-bit float type", nameof(type)),
    };

    /// <summary>True when <paramref name="code"/> is a NaN of <paramref name="type"/>.</summary>
    public static bool IsNaN(DataType type, byte code) => type switch
    {
        DataType.Float8E4M3FN => Fp8E4M3Fn.IsNaN(code),
        DataType.Float8E4M3FNUZ => Fp8E4M3FnUz.IsNaN(code),
        DataType.Float8E5M2 => Fp8E5M2.IsNaN(code),
        DataType.Float8E5M2FNUZ => Fp8E5M2FnUz.IsNaN(code),
        DataType.Float8E8M0 => E8M0.IsNaN(code),
        DataType.Float4E2M1 => false,
        _ => throw new ArgumentException($"{DataTypeInfo.Name(type)} is not an 8- or 4-bit float type", nameof(type)),
    };

    /// <summary>The number of codes of <paramref name="type"/> (256, or 16 for float4).</summary>
    public static int CodeCount(DataType type) => type == DataType.Float4E2M1 ? 16 : 256;
}
