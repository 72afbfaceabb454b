using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Hardware.Specs;

/// <summary>One on-chip SRAM buffer; defaults and their reasons are in the parameter catalogue (<c>memory.buffers[].*</c>).</summary>
public sealed record BufferSpec
{
    public required string Name { get; init; }

    public required BufferRole Role { get; init; }

    public required long CapacityBytes { get; init; }

    /// <summary>Bytes per SRAM word (one access moves one word per bank and port).</summary>
    public required int WordBytes { get; init; }

    public int Banks { get; init; } = SpecParameters.Default<int>("memory.buffers[].banks");

    public int Ports { get; init; } = SpecParameters.Default<int>("memory.buffers[].ports");

    /// <summary>Peak bytes per cycle the buffer can deliver to or accept from the array.</summary>
    public required int BytesPerCycle { get; init; }

    /// <summary>Whether half the capacity is filled from DRAM while the array works on the other half.</summary>
    public bool DoubleBuffered { get; init; } = SpecParameters.Default<bool>("memory.buffers[].double_buffered");

    /// <summary>The bytes one tile may use: half the capacity when double buffered.</summary>
    public long TileCapacityBytes => DoubleBuffered ? CapacityBytes / 2 : CapacityBytes;
}
