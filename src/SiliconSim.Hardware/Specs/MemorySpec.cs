using System.Collections.Immutable;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Hardware.Specs;

/// <summary>The memory hierarchy from the PEs' registers out to DRAM.</summary>
public sealed partial record MemorySpec
{
    public required RegisterFileSpec Registers { get; init; }

    /// <summary>On-chip SRAM buffers: one per role (input, weight, output) or one unified buffer.</summary>
    public required ImmutableArray<BufferSpec> Buffers { get; init; }

    public required DramSpec Dram { get; init; }

    /// <summary>Layer by layer or depth first (<c>memory.schedule</c>).</summary>
    public ExecutionSchedule Schedule { get; init; } = SpecParameters.Default<ExecutionSchedule>("memory.schedule");

    /// <summary>Whether weights stream per inference or stay resident (<c>memory.weights</c>).</summary>
    public WeightPlacement Weights { get; init; } = SpecParameters.Default<WeightPlacement>("memory.weights");

    /// <summary>Which vector ops run in a matrix op's epilogue (<c>memory.fusion</c>).</summary>
    public EpilogueFusion Fusion { get; init; } = SpecParameters.Default<EpilogueFusion>("memory.fusion");

    /// <summary>The on-chip SRAM of every buffer together, in bytes.</summary>
    public long TotalSramBytes => Buffers.IsDefault ? 0 : Buffers.Sum(b => b.CapacityBytes);
}
