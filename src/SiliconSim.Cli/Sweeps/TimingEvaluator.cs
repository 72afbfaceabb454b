using System.Collections.Immutable;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Cli.Sweeps;

/// <summary>Latency, throughput, utilization and traffic from the timing model.</summary>
internal sealed class TimingEvaluator : IPointEvaluator
{
    public ImmutableArray<string> Columns { get; } =
        ["cycles", "latency_s", "inferences_per_second", "utilization", "macs", "dram_read_bytes", "dram_write_bytes", "dram_bytes", "sram_bytes"];

    public ImmutableArray<double?> Evaluate(PointContext point, SimulationResult result)
    {
        long dramRead = result.Layers.Sum(l => l.DramReadBytes), dramWrite = result.Layers.Sum(l => l.DramWriteBytes);
        long sram = result.Layers.Sum(l => l.SramReadBytes + l.SramWriteBytes);
        // Whole-model utilization: MACs over PE-cycles, so stalls and vector layers count against the array.
        double utilization = result.TotalCycles == 0 ? 0 : (double)result.Macs / ((double)result.PeCount * result.TotalCycles);
        return [result.TotalCycles, result.LatencySeconds, result.InferencesPerSecond, utilization, result.Macs, dramRead, dramWrite, dramRead + dramWrite, sram];
    }
}
