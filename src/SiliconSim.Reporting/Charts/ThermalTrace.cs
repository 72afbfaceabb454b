namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Power and junction temperature sampled over time (equal-length lists), the throttle threshold
/// (<see cref="LimitCelsius"/>), the maximum junction temperature when known, and throttle events.
/// </summary>
public sealed record ThermalTrace(
    IReadOnlyList<double> TimeSeconds,
    IReadOnlyList<double> PowerWatts,
    IReadOnlyList<double> JunctionCelsius,
    double LimitCelsius,
    IReadOnlyList<ThrottleEvent> Throttles)
{
    /// <summary>The highest allowed junction temperature (the spec's max_junction_c), drawn above the threshold; null if unknown.</summary>
    public double? MaxJunctionCelsius { get; init; }
}
