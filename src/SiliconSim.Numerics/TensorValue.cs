using System.Collections.Immutable;

namespace SiliconSim.Numerics;

/// <summary>
/// A dense, row-major tensor: an element type, a shape and a flat storage array whose CLR type is
/// <see cref="DataTypeInfo.StorageType"/>. Kernels treat inputs as read-only and return new tensors, so a value may be
/// shared freely between graph edges.
/// </summary>
public sealed class TensorValue
{
    private TensorValue(DataType type, ImmutableArray<int> shape, Array data)
    {
        Type = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>The element type.</summary>
    public DataType Type { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The flat row-major storage.</summary>
    public Array Data { get; }

    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length => Data.Length;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">the storage type or length does not match.</exception>
    public static TensorValue Create(DataType type, ReadOnlySpan<int> shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Type storage = DataTypeInfo.StorageType(type);
        if (data.GetType().GetElementType() != storage)
        {
            throw new ArgumentException($"a {DataTypeInfo.Name(type)} tensor is stored as {storage.Name}[], not {data.GetType().Name}");
        }

        long count = ShapeMath.ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(',', shape.ToArray())}] holds {count} elements but the data has {data.Length}");
        }

        return new TensorValue(type, [.. shape], data);
    }

    /// <summary>A new zero-filled tensor.</summary>
    public static TensorValue Zeros(DataType type, ReadOnlySpan<int> shape)
    {
        long count = ShapeMath.ElementCount(shape);
        var data = System.Array.CreateInstance(DataTypeInfo.StorageType(type), checked((int)count));
        if (type == DataType.String)
        {
            System.Array.Fill((string[])data, string.Empty);
        }

        return new TensorValue(type, [.. shape], data);
    }

    /// <summary>A float tensor over <paramref name="data"/>.</summary>
    public static TensorValue FromFloats(ReadOnlySpan<int> shape, float[] data) => Create(DataType.Float, shape, data);

    /// <summary>A scalar of any storage type.</summary>
    public static TensorValue Scalar<T>(DataType type, T value) => Create(type, [], new[] { value });

    /// <summary>The storage as a span of <typeparamref name="T"/>; throws when T is not the storage type.</summary>
    public Span<T> Span<T>() => Items<T>().AsSpan();

    /// <summary>The storage array itself, typed as <typeparamref name="T"/>[]; throws when T is not the storage type.</summary>
    /// <remarks>The CLR lets a byte[] be cast to sbyte[] (and ushort[] to short[]) silently; checking the element type
    /// here keeps a uint8 tensor from ever being read as int8.</remarks>
    public T[] Items<T>() => Data.GetType().GetElementType() == typeof(T)
        ? (T[])Data
        : throw new InvalidCastException($"a {DataTypeInfo.Name(Type)} tensor is stored as {Data.GetType().Name}, not {typeof(T).Name}[]");

    /// <summary>The same storage under another shape with the same element count.</summary>
    public TensorValue Reshape(ReadOnlySpan<int> shape) => Create(Type, shape, Data);

    /// <summary>The shape as "[a,b,c]".</summary>
    public string ShapeText => ShapeMath.Format(Shape.AsSpan());

    /// <inheritdoc />
    public override string ToString() => $"{DataTypeInfo.Name(Type)}{ShapeText}";
}
