namespace SiliconSim.Simulation.Pipeline;

/// <summary>What <see cref="SimulationPipeline.Evaluate"/> computes beyond timing and energy.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// Seconds of back-to-back inference to drive the thermal model with; 0 skips it (as does a spec without a thermal
    /// section). The default is <c>siliconsim run</c>'s: 600 s is two time constants of the presets' heatsinks
    /// (20 J/K x 15 K/W), long enough for most packages to reach throttling if they ever will.
    /// </summary>
    public double ThermalSeconds { get; init; } = DefaultThermalSeconds;

    /// <summary>Time between recorded thermal samples; 0 records one per control period (for charts).</summary>
    public double ThermalSampleIntervalS { get; init; }

    /// <summary>See <see cref="ThermalSeconds"/>.</summary>
    public const double DefaultThermalSeconds = 600;
}
