using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// The elements of a tensor as numbers, chosen by its element type rather than its array's runtime type: the CLR lets
/// a <c>byte[]</c> pass a <c>sbyte[]</c> type test (array covariance of same-size integers), so a pattern match on the
/// array would read uint8 codes as signed.
/// </summary>
public static class TensorCodes
{
    /// <summary>Integer codes (8-bit and sub-byte types one per element, fp8 and fp4 as their bit patterns, int16, int32).</summary>
    public static int[] Ints(TensorValue t)
    {
        ArgumentNullException.ThrowIfNull(t);
        Type storage = DataTypeInfo.StorageType(t.Type);
        return storage == typeof(sbyte) ? [.. ((sbyte[])t.Data).Select(v => (int)v)]
            : storage == typeof(byte) ? [.. ((byte[])t.Data).Select(v => (int)v)]
            : storage == typeof(short) ? [.. ((short[])t.Data).Select(v => (int)v)]
            : storage == typeof(ushort) ? [.. ((ushort[])t.Data).Select(v => (int)v)]
            : storage == typeof(int) ? [.. (int[])t.Data]
            : throw new NotSupportedException($"a {DataTypeInfo.Name(t.Type)} tensor has no integer codes");
    }

    /// <summary>Every element as a double: integer codes, or the value of a float32 tensor.</summary>
    public static double[] Doubles(TensorValue t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.Type == DataType.Float ? [.. t.Items<float>().Select(v => (double)v)] : [.. Ints(t).Select(v => (double)v)];
    }
}
