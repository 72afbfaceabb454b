using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Mapping;

/// <summary>Bytes a tensor occupies in the accelerator's memories: packed at its bit width, as ONNX stores it (two int4 per byte).</summary>
public static class StorageBytes
{
    /// <summary><c>ceil(elements x bits / 8)</c>.</summary>
    public static long Of(DataType type, long elements)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        long bits = DataTypeInfo.BitWidth(type);
        return ((elements * bits) + 7) / 8;
    }
}
