namespace SiliconSim.Reporting.Charts;

/// <summary>One sweep point: its label, latency (s), energy per inference (J) and the chosen parameter's value.</summary>
public sealed record SweepPoint(string Label, double LatencySeconds, double EnergyPerInferenceJoules, double Parameter);
