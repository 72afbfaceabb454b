namespace SiliconSim.Reporting.Charts;

/// <summary>The moment the clock was throttled (or released), in seconds from the start, with a short reason.</summary>
public sealed record ThrottleEvent(double TimeSeconds, string Reason);
