using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels;

/// <summary>Element conversions the quantization kernels share: exact widening to fp32/int32 and narrowing stores.</summary>
internal static class TensorConvert
{
    /// <summary>The values of a float-like tensor as fp32: exact for float, float16, bfloat16 and the small floats;
    /// int32 rounds to nearest even above 2^24, as C++'s static_cast&lt;float&gt; does.</summary>
    public static float[] ToSingles(TensorValue t)
    {
        switch (t.Data)
        {
            case float[] f:
                return f;
            case Half[] h:
                return Array.ConvertAll(h, v => (float)v);
            case BFloat16[] b:
                return Array.ConvertAll(b, v => v.ToSingle());
            case int[] i when t.Type == DataType.Int32:
                return Array.ConvertAll(i, v => (float)v);
            case double[] d:
                return Array.ConvertAll(d, v => (float)v);
            case byte[] codes when MiniFloats.IsMiniFloat(t.Type):
                {
                    var r = new float[codes.Length];
                    for (int k = 0; k < codes.Length; k++)
                    {
                        r[k] = MiniFloats.Decode(t.Type, codes[k]);
                    }

                    return r;
                }

            default:
                throw new ArgumentException($"{DataTypeInfo.Name(t.Type)} is not a float type here");
        }
    }

    /// <summary>The values of an integer tensor of at most 32 bits, widened exactly. Dispatches on the element type,
    /// not the array: the CLR lets a byte[] pass as sbyte[] (and ushort[] as short[]) in type tests.</summary>
    public static int[] ToInt32s(TensorValue t) => t.Type switch
    {
        DataType.Int8 or DataType.Int4 or DataType.Int2 => Array.ConvertAll(t.Items<sbyte>(), v => (int)v),
        DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => Array.ConvertAll(t.Items<byte>(), v => (int)v),
        DataType.Int16 => Array.ConvertAll(t.Items<short>(), v => (int)v),
        DataType.UInt16 => Array.ConvertAll(t.Items<ushort>(), v => (int)v),
        DataType.Int32 => t.Items<int>(),
        _ => throw new ArgumentException($"{DataTypeInfo.Name(t.Type)} is not an integer type of at most 32 bits"),
    };

    /// <summary>Stores integers already inside <paramref name="type"/>'s range in its storage array.</summary>
    public static TensorValue FromInt32s(DataType type, ReadOnlySpan<int> shape, int[] values)
    {
        Array data = type switch
        {
            DataType.Int8 or DataType.Int4 or DataType.Int2 => Array.ConvertAll(values, v => (sbyte)v),
            DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => Array.ConvertAll(values, v => (byte)v),
            DataType.Int16 => Array.ConvertAll(values, v => (short)v),
            DataType.UInt16 => Array.ConvertAll(values, v => (ushort)v),
            DataType.Int32 => values,
            _ => throw new ArgumentException($"{DataTypeInfo.Name(type)} is not an integer type of at most 32 bits"),
        };
        return TensorValue.Create(type, shape, data);
    }

    /// <summary>Narrows fp32 results to <paramref name="type"/> (float, float16 or bfloat16), rounding to nearest even.</summary>
    public static TensorValue FromSingles(DataType type, ReadOnlySpan<int> shape, float[] values)
    {
        Array data = type switch
        {
            DataType.Float => values,
            DataType.Float16 => Array.ConvertAll(values, v => (Half)v),
            DataType.BFloat16 => Array.ConvertAll(values, BFloat16.FromSingle),
            _ => throw new ArgumentException($"{DataTypeInfo.Name(type)} is not float, float16 or bfloat16"),
        };
        return TensorValue.Create(type, shape, data);
    }
}
