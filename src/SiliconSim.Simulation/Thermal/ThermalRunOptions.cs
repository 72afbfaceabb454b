namespace SiliconSim.Simulation.Thermal;

/// <summary>Settings of one thermal run.</summary>
public sealed record ThermalRunOptions
{
    public ThermalWorkload Workload { get; init; } = ThermalWorkload.BackToBack;

    /// <summary>Release rate for <see cref="ThermalWorkload.FixedRate"/>, inferences per second.</summary>
    public double InferencesPerSecond { get; init; }

    /// <summary>Simulated time, s.</summary>
    public required double DurationS { get; init; }

    /// <summary>Time between recorded samples, s; 0 records one per governor control period.</summary>
    public double SampleIntervalS { get; init; }
}
