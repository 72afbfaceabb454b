using System.Collections.Immutable;
using SiliconSim.Hardware.Thermal;

namespace SiliconSim.Simulation.Thermal;

/// <summary>The outcome of a <see cref="ThermalSimulation"/> run.</summary>
public sealed record ThermalRunResult
{
    public required ThermalRunStatus Status { get; init; }

    /// <summary>Why the run stopped early, or null.</summary>
    public string? Reason { get; init; }

    /// <summary>Simulated time actually covered, s.</summary>
    public required double EndTimeS { get; init; }

    public required ImmutableArray<ThermalSample> Samples { get; init; }

    public required ImmutableArray<ThrottleEvent> ThrottleEvents { get; init; }

    /// <summary>When the governor first stepped down, or null if it never did.</summary>
    public double? TimeToFirstThrottleS => ThrottleEvents.Any(e => e.ToStep > e.FromStep) ? ThrottleEvents.First(e => e.ToStep > e.FromStep).TimeS : null;

    /// <summary>Steady state of the workload's mean dynamic power at the nominal step, with leakage feedback (no throttling).</summary>
    public required ThermalSteadyState NominalSteadyState { get; init; }

    public required double PeakJunctionC { get; init; }

    public required double FinalJunctionC { get; init; }

    /// <summary>True when the junction went above the spec's max_junction_c.</summary>
    public required bool ExceededMaxJunction { get; init; }

    /// <summary>Whole inferences finished.</summary>
    public required long InferencesCompleted { get; init; }

    /// <summary>Inferences (fractional progress counted) per second over the whole run.</summary>
    public required double AverageInferencesPerSecond { get; init; }

    /// <summary>Inferences per second over the second half of the run: the rate the thermal cap sustains after warm-up.</summary>
    public required double SustainedInferencesPerSecond { get; init; }

    public required double DynamicEnergyJ { get; init; }

    public required double LeakageEnergyJ { get; init; }

    /// <summary>Heat that left through the ambient resistance(s), J.</summary>
    public required double AmbientEnergyJ { get; init; }

    /// <summary>Heat stored in the capacitances at the end (above ambient), J.</summary>
    public required double StoredEnergyJ { get; init; }
}
