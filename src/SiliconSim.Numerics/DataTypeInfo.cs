namespace SiliconSim.Numerics;

/// <summary>
/// How each <see cref="DataType"/> is held in memory. Sub-byte and 8-bit float types are held unpacked, one element per
/// array slot: integers as their value (<c>sbyte</c>/<c>byte</c>), floats as their bit code (<c>byte</c>), so kernels
/// index them like any other type and packing exists only at the serialisation boundary.
/// </summary>
public static class DataTypeInfo
{
    /// <summary>The CLR element type of a tensor's storage array.</summary>
    public static Type StorageType(DataType type) => type switch
    {
        DataType.Float => typeof(float),
        DataType.Double => typeof(double),
        DataType.Float16 => typeof(Half),
        DataType.BFloat16 => typeof(Formats.BFloat16),
        DataType.Int8 or DataType.Int4 or DataType.Int2 => typeof(sbyte),
        DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => typeof(byte),
        DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ
            or DataType.Float8E8M0 or DataType.Float4E2M1 => typeof(byte),
        DataType.Int16 => typeof(short),
        DataType.UInt16 => typeof(ushort),
        DataType.Int32 => typeof(int),
        DataType.UInt32 => typeof(uint),
        DataType.Int64 => typeof(long),
        DataType.UInt64 => typeof(ulong),
        DataType.Bool => typeof(bool),
        DataType.String => typeof(string),
        _ => throw new NotSupportedException($"element type {type} is not supported"),
    };

    /// <summary>Bits one element occupies when serialised (ONNX packs 4- and 2-bit types).</summary>
    public static int BitWidth(DataType type) => type switch
    {
        DataType.Int2 or DataType.UInt2 => 2,
        DataType.Int4 or DataType.UInt4 or DataType.Float4E2M1 => 4,
        DataType.Int8 or DataType.UInt8 or DataType.Bool or DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ
            or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float8E8M0 => 8,
        DataType.Int16 or DataType.UInt16 or DataType.Float16 or DataType.BFloat16 => 16,
        DataType.Int32 or DataType.UInt32 or DataType.Float => 32,
        DataType.Int64 or DataType.UInt64 or DataType.Double or DataType.Complex64 => 64,
        DataType.Complex128 => 128,
        _ => throw new NotSupportedException($"element type {type} has no fixed width"),
    };

    /// <summary>True for the integer types (signed or unsigned, any width), excluding Bool.</summary>
    public static bool IsInteger(DataType type) => type is DataType.Int8 or DataType.UInt8 or DataType.Int16
        or DataType.UInt16 or DataType.Int32 or DataType.UInt32 or DataType.Int64 or DataType.UInt64
        or DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2;

    /// <summary>True for every floating-point type, including the 8- and 4-bit ones.</summary>
    public static bool IsFloat(DataType type) => type is DataType.Float or DataType.Double or DataType.Float16
        or DataType.BFloat16 or DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2
        or DataType.Float8E5M2FNUZ or DataType.Float8E8M0 or DataType.Float4E2M1;

    /// <summary>The inclusive integer range of an integer type, for quantization and saturation.</summary>
    public static (long Min, long Max) IntegerRange(DataType type) => type switch
    {
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.UInt8 => (0, byte.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.UInt16 => (0, ushort.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        DataType.UInt32 => (0, uint.MaxValue),
        DataType.Int4 => (-8, 7),
        DataType.UInt4 => (0, 15),
        DataType.Int2 => (-2, 1),
        DataType.UInt2 => (0, 3),
        DataType.Int64 => (long.MinValue, long.MaxValue),
        _ => throw new NotSupportedException($"{type} is not an integer type"),
    };

    /// <summary>The lower-case ONNX spelling used in messages ("int8", "float8e4m3fn").</summary>
    public static string Name(DataType type) => type.ToString().ToLowerInvariant();
}
