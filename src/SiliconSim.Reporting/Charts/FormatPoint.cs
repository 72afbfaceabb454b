namespace SiliconSim.Reporting.Charts;

/// <summary>One numeric format's outcome on the same model: energy per inference (µJ) and top-1 accuracy (0..1).</summary>
public sealed record FormatPoint(string Format, double EnergyPerInferenceMicrojoules, double Accuracy);
