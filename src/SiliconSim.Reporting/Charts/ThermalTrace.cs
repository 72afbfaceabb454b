namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Power and junction temperature sampled over time (equal-length lists), the junction limit and throttle events.
/// </summary>
public sealed record ThermalTrace(
    IReadOnlyList<double> TimeSeconds,
    IReadOnlyList<double> PowerWatts,
    IReadOnlyList<double> JunctionCelsius,
    double LimitCelsius,
    IReadOnlyList<ThrottleEvent> Throttles);
