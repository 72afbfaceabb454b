using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels.Logic;

/// <summary>Copies elements by an index map, for every element type: the data movement under Where, Expand and Tile.</summary>
public static class ElementGather
{
    /// <summary>A tensor of <paramref name="shape"/> whose element i is <paramref name="src"/>'s element map[i].</summary>
    public static TensorValue Take(TensorValue src, int[] map, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(map);

        // Dispatch on the ONNX type's storage, never on the array's runtime type (byte[] passes as sbyte[] in the CLR).
        Type storage = DataTypeInfo.StorageType(src.Type);
        Array data = storage == typeof(float) ? Take(src.Items<float>(), map)
            : storage == typeof(double) ? Take(src.Items<double>(), map)
            : storage == typeof(Half) ? Take(src.Items<Half>(), map)
            : storage == typeof(BFloat16) ? Take(src.Items<BFloat16>(), map)
            : storage == typeof(sbyte) ? Take(src.Items<sbyte>(), map)
            : storage == typeof(byte) ? Take(src.Items<byte>(), map)
            : storage == typeof(short) ? Take(src.Items<short>(), map)
            : storage == typeof(ushort) ? Take(src.Items<ushort>(), map)
            : storage == typeof(int) ? Take(src.Items<int>(), map)
            : storage == typeof(uint) ? Take(src.Items<uint>(), map)
            : storage == typeof(long) ? Take(src.Items<long>(), map)
            : storage == typeof(ulong) ? Take(src.Items<ulong>(), map)
            : storage == typeof(bool) ? Take(src.Items<bool>(), map)
            : storage == typeof(string) ? Take(src.Items<string>(), map)
            : throw new ArgumentException($"{DataTypeInfo.Name(src.Type)} tensors cannot be copied");
        return TensorValue.Create(src.Type, shape, data);
    }

    /// <summary>y[i] = cond[i] ? x[i] : y[i] element-wise over already broadcast maps.</summary>
    public static TensorValue Select(bool[] cond, int[] condMap, TensorValue x, int[] xMap, TensorValue y, int[] yMap, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(condMap);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(xMap);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(yMap);

        // Where is a pure selection, so it works on storage: concatenate x and y and pick indices into the pair.
        var map = new int[condMap.Length];
        int offset = x.Length;
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = cond[condMap[i]] ? xMap[i] : offset + yMap[i];
        }

        var both = Array.CreateInstance(DataTypeInfo.StorageType(x.Type), x.Length + y.Length);
        Array.Copy(x.Data, 0, both, 0, x.Length);
        Array.Copy(y.Data, 0, both, x.Length, y.Length);
        return Take(TensorValue.Create(x.Type, [both.Length], both), map, shape);
    }

    private static T[] Take<T>(T[] src, int[] map)
    {
        var y = new T[map.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = src[map[i]];
        }

        return y;
    }
}
