using System.Collections.Immutable;

namespace SiliconSim.Hardware.Specs;

/// <summary>The memory hierarchy from the PEs' registers out to DRAM.</summary>
public sealed partial record MemorySpec
{
    public required RegisterFileSpec Registers { get; init; }

    /// <summary>On-chip SRAM buffers: one per role (input, weight, output) or one unified buffer.</summary>
    public required ImmutableArray<BufferSpec> Buffers { get; init; }

    public required DramSpec Dram { get; init; }

    /// <summary>The on-chip SRAM of every buffer together, in bytes.</summary>
    public long TotalSramBytes => Buffers.IsDefault ? 0 : Buffers.Sum(b => b.CapacityBytes);
}
