using SiliconSim.Numerics.Kernels.Logic;

namespace SiliconSim.Numerics.Kernels.Arithmetic;

/// <summary>
/// ConstantOfShape, Expand, Tile and Range (ONNX operator spec; ORT providers/cpu/generator/constant_of_shape.cc,
/// tensor/expand.cc, tensor/tile.cc, generator/range.cc). Expand and Tile copy element bits, so they serve every type.
/// </summary>
public static class ShapeKernels
{
    /// <summary>A tensor of <paramref name="shape"/> filled with the single element of <paramref name="value"/>.</summary>
    public static TensorValue ConstantOfShape(ReadOnlySpan<long> shape, TensorValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 1)
        {
            throw new ArgumentException($"ConstantOfShape's value must hold one element, got {value.ShapeText}");
        }

        int[] dims = ToDims(shape, "ConstantOfShape");
        return ElementGather.Take(value, new int[ShapeMath.ElementCount(dims)], dims);
    }

    /// <summary>Broadcasts <paramref name="x"/> against <paramref name="shape"/> (bidirectionally, as numpy does).</summary>
    public static TensorValue Expand(TensorValue x, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] target = ToDims(shape, "Expand");
        int[] xShape = [.. x.Shape];
        int[] outShape = ShapeMath.Broadcast(xShape, target);
        return ElementGather.Take(x, BroadcastIndex.Map(xShape, outShape), outShape);
    }

    /// <summary>Repeats <paramref name="x"/> repeats[d] times along each axis d.</summary>
    public static TensorValue Tile(TensorValue x, ReadOnlySpan<long> repeats)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (repeats.Length != x.Rank)
        {
            throw new ArgumentException($"Tile needs one repeat per axis: rank {x.Rank}, {repeats.Length} repeats");
        }

        int rank = x.Rank;
        var outShape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            if (repeats[d] < 0)
            {
                throw new ArgumentException($"Tile repeats must be non-negative, got {repeats[d]}");
            }

            outShape[d] = checked((int)(x.Shape[d] * repeats[d]));
        }

        int[] inStrides = ShapeMath.Strides(x.Shape.AsSpan());
        var map = new int[ShapeMath.ElementCount(outShape)];
        var idx = new int[rank];
        for (int i = 0; i < map.Length; i++)
        {
            int src = 0;
            for (int d = 0; d < rank; d++)
            {
                src += idx[d] % x.Shape[d] * inStrides[d];
            }

            map[i] = src;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < outShape[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return ElementGather.Take(x, map, outShape);
    }

    /// <summary>
    /// Range(start, limit, delta): n = max(ceil((limit − start) / delta), 0) elements, computed as ORT does: the
    /// difference in the element type, the division and ceiling in double; element i is start + delta added i times
    /// in the element type (a running sum, so float ranges carry its rounding).
    /// </summary>
    public static TensorValue Range(TensorValue start, TensorValue limit, TensorValue delta)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(delta);
        if (start.Type != limit.Type || start.Type != delta.Type)
        {
            throw new ArgumentException("Range needs start, limit and delta of one element type");
        }

        if (start.Length != 1 || limit.Length != 1 || delta.Length != 1)
        {
            throw new ArgumentException("Range's start, limit and delta must be scalars");
        }

        return start.Type switch
        {
            DataType.Float => RangeOf<float>(start, limit, delta),
            DataType.Double => RangeOf<double>(start, limit, delta),
            DataType.Int16 => RangeOf<short>(start, limit, delta),
            DataType.Int32 => RangeOf<int>(start, limit, delta),
            DataType.Int64 => RangeOf<long>(start, limit, delta),
            _ => throw new ArgumentException($"Range does not support {DataTypeInfo.Name(start.Type)}"),
        };
    }

    private static TensorValue RangeOf<T>(TensorValue start, TensorValue limit, TensorValue delta)
        where T : System.Numerics.INumber<T>
    {
        T s = start.Items<T>()[0], l = limit.Items<T>()[0], d = delta.Items<T>()[0];
        if (T.IsZero(d))
        {
            throw new ArgumentException("Range's delta must not be zero");
        }

        double n = Math.Ceiling(double.CreateTruncating(unchecked(l - s)) / double.CreateTruncating(d));
        long count = n > 0 ? (long)n : 0;
        if (count > int.MaxValue)
        {
            throw new ArgumentException($"Range would hold {count} elements");
        }

        var y = new T[count];
        T v = s;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = v;
            v = unchecked(v + d);
        }

        return TensorValue.Create(start.Type, [y.Length], y);
    }

    private static int[] ToDims(ReadOnlySpan<long> shape, string op)
    {
        var dims = new int[shape.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (shape[i] < 0 || shape[i] > int.MaxValue)
            {
                throw new ArgumentException($"{op} dimension {shape[i]} is out of range");
            }

            dims[i] = (int)shape[i];
        }

        return dims;
    }
}
