using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Timing;

/// <summary>The array's compute time for one matrix layer (no memory stalls: those are the memory model's).</summary>
public sealed record LayerTimingResult
{
    /// <summary>The layer's name.</summary>
    public required string Name { get; init; }

    /// <summary>The cycle model that produced <see cref="ComputeCycles"/>.</summary>
    public required TimingModel Model { get; init; }

    /// <summary>How one group's GEMM maps onto the array.</summary>
    public required FoldMapping Mapping { get; init; }

    /// <summary>Independent GEMMs run one after another (conv groups or matmul batch).</summary>
    public required int Groups { get; init; }

    /// <summary>Array loads over all groups: <c>Groups x RowFolds x ColFolds</c>.</summary>
    public long Folds => Groups * Mapping.Folds;

    /// <summary>Cycles from the first operand entering the array to the last output leaving it.</summary>
    public required long ComputeCycles { get; init; }

    /// <summary>Multiply-accumulates performed (the same under every dataflow).</summary>
    public required long Macs { get; init; }

    /// <summary>PEs in the array.</summary>
    public required int PeCount { get; init; }

    /// <summary>MACs / (PEs x cycles): the fraction of PE-cycles that did useful work, in [0, 1].</summary>
    public double Utilization => ComputeCycles == 0 ? 0 : (double)Macs / ((double)PeCount * ComputeCycles);
}
