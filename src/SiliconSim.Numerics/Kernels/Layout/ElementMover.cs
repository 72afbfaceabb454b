using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels.Layout;

/// <summary>Moves elements of any storage type by index, so layout ops need no per-type code.</summary>
public static class ElementMover
{
    /// <summary>dst[i] = src[map[i]], with dst of the same CLR element type as <paramref name="src"/>.</summary>
    public static Array Take(Array src, int[] map)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(map);
        // Match the exact element type: the CLR lets byte[] pass an "is sbyte[]" test (likewise uint[]/int[], ...).
        Type t = src.GetType().GetElementType()!;
        return t == typeof(float) ? TakeT((float[])src, map)
            : t == typeof(double) ? TakeT((double[])src, map)
            : t == typeof(Half) ? TakeT((Half[])src, map)
            : t == typeof(BFloat16) ? TakeT((BFloat16[])src, map)
            : t == typeof(sbyte) ? TakeT((sbyte[])src, map)
            : t == typeof(byte) ? TakeT((byte[])src, map)
            : t == typeof(short) ? TakeT((short[])src, map)
            : t == typeof(ushort) ? TakeT((ushort[])src, map)
            : t == typeof(int) ? TakeT((int[])src, map)
            : t == typeof(uint) ? TakeT((uint[])src, map)
            : t == typeof(long) ? TakeT((long[])src, map)
            : t == typeof(ulong) ? TakeT((ulong[])src, map)
            : t == typeof(bool) ? TakeT((bool[])src, map)
            : t == typeof(string) ? TakeT((string[])src, map)
            : throw new ArgumentException($"unsupported storage {src.GetType().Name}");
    }

    private static T[] TakeT<T>(T[] src, int[] map)
    {
        var dst = new T[map.Length];
        for (int i = 0; i < map.Length; i++)
        {
            dst[i] = src[map[i]];
        }

        return dst;
    }
}
