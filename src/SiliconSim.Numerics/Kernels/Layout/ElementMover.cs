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
        return src switch
        {
            float[] a => TakeT(a, map),
            double[] a => TakeT(a, map),
            Half[] a => TakeT(a, map),
            BFloat16[] a => TakeT(a, map),
            sbyte[] a => TakeT(a, map),
            byte[] a => TakeT(a, map),
            short[] a => TakeT(a, map),
            ushort[] a => TakeT(a, map),
            int[] a => TakeT(a, map),
            uint[] a => TakeT(a, map),
            long[] a => TakeT(a, map),
            ulong[] a => TakeT(a, map),
            bool[] a => TakeT(a, map),
            string[] a => TakeT(a, map),
            _ => throw new ArgumentException($"unsupported storage {src.GetType().Name}"),
        };
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
