using System.Globalization;

namespace SiliconSim.Numerics;

/// <summary>Shape arithmetic shared by kernels and shape inference.</summary>
public static class ShapeMath
{
    /// <summary>
    /// The element count of <paramref name="shape"/>. Tensors are indexed with <c>int</c>, so a count above
    /// <see cref="int.MaxValue"/> (2^31 − 1) is refused here, where every tensor is born.
    /// </summary>
    /// <exception cref="ArgumentException">a dimension is negative or the product exceeds 2^31 − 1.</exception>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape {Format(shape)} has a negative dimension");
            }

            count *= d;
            if (count > int.MaxValue)
            {
                throw new ArgumentException($"shape {Format(shape)} has more than 2^31-1 elements");
            }
        }

        return count;
    }

    /// <summary>The element count of a shape given with 64-bit dims (as ONNX stores them), with the same limits.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0 || d > int.MaxValue)
            {
                throw new ArgumentException($"dimension {d} is outside [0, 2^31-1]");
            }

            count *= d;
            if (count > int.MaxValue)
            {
                throw new ArgumentException($"shape [{string.Join(',', shape.ToArray())}] has more than 2^31-1 elements");
            }
        }

        return count;
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }

        return strides;
    }

    /// <summary>Normalises a possibly negative axis against <paramref name="rank"/>.</summary>
    public static int NormalizeAxis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1))
        {
            throw new ArgumentException($"axis {axis} is out of range for rank {rank}");
        }

        return (int)a;
    }

    /// <summary>The numpy-style broadcast of two shapes.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"shapes {Format(a)} and {Format(b)} do not broadcast");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>"[a,b,c]".</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(',', parts) + "]";
    }
}
