using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// The thermal outcome of a run as numbers a script reads: temperatures, when the governor first stepped down, the
/// sustained rate, every step change with its frequencies, and the time spent at each operating point.
/// </summary>
public sealed record ThermalSummary
{
    /// <summary>Seconds of back-to-back inference simulated.</summary>
    public required double DurationS { get; init; }

    public required double AmbientC { get; init; }

    public required double PeakJunctionC { get; init; }

    public required double MaxJunctionC { get; init; }

    public required double ThrottleC { get; init; }

    /// <summary>The junction temperature full speed settles at, or null when leakage runs away.</summary>
    public double? SteadyStateC { get; init; }

    public required bool ExceededMaxJunction { get; init; }

    public double? TimeToFirstThrottleS { get; init; }

    /// <summary>Inferences per second over the second half of the run (whole batches counted as their inferences).</summary>
    public required double SustainedInferencesPerSecond { get; init; }

    public required ImmutableArray<DvfsChange> ThrottleEvents { get; init; }

    /// <summary>Every operating point, fastest first, with the seconds spent there.</summary>
    public required ImmutableArray<DvfsResidency> TimeAtEachStep { get; init; }

    /// <summary>Why the run stopped early, or null.</summary>
    public string? Reason { get; init; }

    /// <summary>The summary of <paramref name="thermal"/>, a run of <paramref name="batch"/> inferences at a time.</summary>
    public static ThermalSummary Of(ThermalRunResult thermal, AcceleratorSpec spec, int batch, double durationS)
    {
        ArgumentNullException.ThrowIfNull(thermal);
        ArgumentNullException.ThrowIfNull(spec);
        var steps = spec.Thermal.StepsOrNominal(spec.ClockMhz, spec.SupplyVoltageV);
        var timeAt = new double[steps.Length];
        double from = 0;
        int at = 0;
        foreach (ThrottleEvent e in thermal.ThrottleEvents)
        {
            timeAt[at] += e.TimeS - from;
            (from, at) = (e.TimeS, e.ToStep);
        }

        timeAt[at] += thermal.EndTimeS - from;
        return new ThermalSummary
        {
            DurationS = durationS,
            AmbientC = spec.Thermal.AmbientC,
            PeakJunctionC = thermal.PeakJunctionC,
            MaxJunctionC = spec.Thermal.MaxJunctionC,
            ThrottleC = spec.Thermal.ThrottleC,
            SteadyStateC = thermal.NominalSteadyState.Converged ? thermal.NominalSteadyState.JunctionC : null,
            ExceededMaxJunction = thermal.ExceededMaxJunction,
            TimeToFirstThrottleS = thermal.TimeToFirstThrottleS,
            SustainedInferencesPerSecond = thermal.SustainedInferencesPerSecond * batch,
            ThrottleEvents = [.. thermal.ThrottleEvents.Select(e => new DvfsChange(e.TimeS, e.JunctionC, steps[e.FromStep].FrequencyMhz, steps[e.ToStep].FrequencyMhz))],
            TimeAtEachStep = [.. steps.Select((s, i) => new DvfsResidency(s.FrequencyMhz, s.VoltageV, timeAt[i]))],
            Reason = thermal.Reason,
        };
    }
}
