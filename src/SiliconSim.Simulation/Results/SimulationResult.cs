using System.Collections.Immutable;

namespace SiliconSim.Simulation.Results;

/// <summary>One inference of a model on one accelerator: every layer's cost and the totals.</summary>
public sealed record SimulationResult
{
    public required string Accelerator { get; init; }

    public required string Model { get; init; }

    /// <summary>Inputs per inference (the batch dimension the model ran with).</summary>
    public required int Batch { get; init; }

    public required double ClockMhz { get; init; }

    /// <summary>Processing elements of the array (rows x cols); with the clock it sets the compute roof.</summary>
    public required int PeCount { get; init; }

    /// <summary>DRAM bandwidth in GB/s; it sets the memory roof.</summary>
    public required double DramBandwidthGBps { get; init; }

    /// <summary>Layers in execution order.</summary>
    public required ImmutableArray<LayerResult> Layers { get; init; }

    /// <summary>How the network memory plan placed the tensors, and the lower bound of its DRAM traffic.</summary>
    public MemoryPlanSummary Plan { get; init; } = MemoryPlanSummary.None;

    public long DramReadBytes => Layers.Sum(l => l.DramReadBytes);

    public long DramWriteBytes => Layers.Sum(l => l.DramWriteBytes);

    public long TotalCycles => Layers.Sum(l => l.TotalCycles);

    public long ComputeCycles => Layers.Sum(l => l.ComputeCycles);

    public long StallCycles => Layers.Sum(l => l.StallCycles);

    public long Macs => Layers.Sum(l => l.Macs);

    public double LatencySeconds => TotalCycles * 1e-6 / ClockMhz;

    /// <summary>Inputs per second when inferences run back to back (batch / latency).</summary>
    public double InferencesPerSecond => TotalCycles == 0 ? double.PositiveInfinity : Batch / LatencySeconds;

    /// <summary>Peak ops per second of the array: 2 ops per MAC per PE per cycle.</summary>
    public double PeakOpsPerSecond => 2.0 * PeCount * ClockMhz * 1e6;

    /// <summary>Bytes per second DRAM can move.</summary>
    public double DramBytesPerSecond => DramBandwidthGBps * 1e9;
}
