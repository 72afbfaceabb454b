using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Mapping;

/// <summary>Bytes a tensor occupies in the accelerator's memories: packed at its bit width, as ONNX stores it (two int4
/// per byte), plus the block scales of a block format.</summary>
public static class StorageBytes
{
    /// <summary><c>ceil(elements x bits / 8)</c>.</summary>
    public static long Of(DataType type, long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        long bits = DataTypeInfo.BitWidth(type);
        return ((elements * bits) + 7) / 8;
    }

    /// <summary>
    /// A value of <paramref name="shape"/> in a block format: its elements packed at the element width,
    /// <c>ceil(n x bits / 8)</c>, plus one scale per block, <c>lines x ceil(C / block size)</c> scales of the scale
    /// type's width, where C is the extent of the blocked axis and lines = n / C (a partial block at the end of a line
    /// has a scale of its own). A static tensor scale is a constant of the model, not part of the value.
    /// </summary>
    /// <exception cref="ArgumentException">the blocked axis is out of range for the shape.</exception>
    public static long Of(StoredFormat format, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(format);
        long n = ShapeMath.ElementCount(shape);
        int axis = format.BlockAxis < 0 ? format.BlockAxis + shape.Length : format.BlockAxis;
        if (shape.Length > 0 && (axis < 0 || axis >= shape.Length))
        {
            throw new ArgumentException($"block axis {format.BlockAxis} is out of range for a rank-{shape.Length} value", nameof(shape));
        }

        long extent = shape.Length == 0 ? 1 : shape[axis];
        long blocks = extent == 0 ? 0 : n / extent * ((extent + format.BlockSize - 1) / format.BlockSize);
        return Of(format.ElementType, n) + Of(format.BlockScaleType, blocks);
    }
}
