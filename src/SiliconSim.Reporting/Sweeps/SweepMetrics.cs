using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Sweeps;

/// <summary>
/// The metric columns of a sweep point, read from its <see cref="RunResult"/>: timing and traffic, energy per inference
/// and its main components, and the thermal summary (empty cells when the thermal model did not run).
/// </summary>
public static class SweepMetrics
{
    /// <summary>Column names in results.csv order; they are also the per-point JSON metric names.</summary>
    public static ImmutableArray<string> Columns { get; } =
    [
        "cycles", "latency_s", "inferences_per_second", "utilization", "macs", "dram_read_bytes", "dram_write_bytes", "dram_bytes", "sram_bytes",
        "energy_j", "energy_mac_j", "energy_sram_j", "energy_dram_j", "energy_leakage_j", "energy_idle_j", "tops_per_w",
        "peak_junction_c", "steady_state_c", "throttled", "time_to_first_throttle_s", "sustained_inferences_per_s",
    ];

    /// <summary>The second Pareto metric beside latency: energy per inference.</summary>
    public const string ParetoMetric = "energy_j";

    /// <summary>One value per <see cref="Columns"/> entry (null where undefined).</summary>
    public static ImmutableArray<double?> Values(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SimulationResult r = run.Performance;
        long sram = r.Layers.Sum(l => l.SramReadBytes + l.SramWriteBytes);

        // Whole-model utilization: MACs over PE-cycles, so stalls and vector layers count against the array.
        double utilization = r.TotalCycles == 0 ? 0 : (double)r.Macs / ((double)r.PeCount * r.TotalCycles);
        EnergyBreakdown e = run.Energy.Total;
        double batch = run.Batch;
        ThermalSummary? t = run.ThermalSummary;
        return
        [
            r.TotalCycles, r.LatencySeconds, r.InferencesPerSecond, utilization, r.Macs, run.DramReadBytes, run.DramWriteBytes, run.DramReadBytes + run.DramWriteBytes, sram,
            run.EnergyPerInferenceJ, e.MacJ / batch, e.SramJ / batch, e.DramJ / batch, e.LeakageJ / batch, e.IdleJ / batch, run.TopsPerWatt,
            t?.PeakJunctionC, t?.SteadyStateC, t is null ? null : t.TimeToFirstThrottleS is null ? 0 : 1, t?.TimeToFirstThrottleS, t?.SustainedInferencesPerSecond,
        ];
    }
}
