using System.Collections.Immutable;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Temperatures and throttling of back-to-back inference for the sweep's <c>thermal_seconds</c>, through the same
/// <see cref="InferenceThermal"/> driver as <c>siliconsim run</c>. A point whose config has no thermal section, or
/// whose energy cannot be priced (power needs energy), gets empty cells.
/// </summary>
internal sealed class ThermalEvaluator(double thermalSeconds, EnergyEvaluator energy) : IPointEvaluator
{
    public ImmutableArray<string> Columns { get; } =
        ["peak_junction_c", "steady_state_c", "throttled", "time_to_first_throttle_s", "sustained_inferences_per_s"];

    /// <summary>The simulated duration, part of every point's key so a changed duration never reuses stored points.</summary>
    public double ThermalSeconds => thermalSeconds;

    public ImmutableArray<double?> Evaluate(PointContext point, SimulationResult result)
    {
        if (point.Point.Spec is not { Thermal: not null } spec || thermalSeconds <= 0 || energy.Price(point, result) is not EnergyReport priced)
        {
            return [.. Columns.Select(_ => (double?)null)];
        }

        // Samples are only for run's chart: one per run keeps the per-point cost to the thermal steps alone.
        ThermalRunResult thermal = InferenceThermal.BackToBack(spec, result, priced, thermalSeconds, sampleIntervalS: thermalSeconds);
        double? steady = thermal.NominalSteadyState.Converged ? thermal.NominalSteadyState.JunctionC : null;
        double? firstThrottle = thermal.TimeToFirstThrottleS;

        // The thermal model's unit is one run of the whole batch; the column counts inferences, as run prints it.
        return [thermal.PeakJunctionC, steady, firstThrottle is null ? 0 : 1, firstThrottle, thermal.SustainedInferencesPerSecond * result.Batch];
    }
}
