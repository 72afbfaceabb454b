using System.Collections.Immutable;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Vector;

/// <summary>The vector unit's cost for one non-matrix layer: compute cycles, DRAM streaming stalls and traffic.</summary>
public sealed record VectorLayerResult
{
    public required string LayerName { get; init; }

    /// <summary>ceil(ceil(elements / lanes) x cycles per element); zero for data movement.</summary>
    public required long ComputeCycles { get; init; }

    /// <summary>Cycles beyond compute spent waiting for DRAM (latency plus streaming longer than compute).</summary>
    public long StallCycles => TotalCycles - ComputeCycles;

    public required long TotalCycles { get; init; }

    /// <summary>Whether inputs and outputs stayed in on-chip SRAM (no DRAM traffic).</summary>
    public required bool FitsOnChip { get; init; }

    /// <summary>Input reads and output writes when the tensors do not fit, each rounded up to whole bursts.</summary>
    public required DramCounters Dram { get; init; }

    /// <summary>Per activation buffer used, in spec order.</summary>
    public required ImmutableArray<BufferCounters> Buffers { get; init; }
}
