namespace SiliconSim.Reporting.Charts;

/// <summary>One layer on the roofline: arithmetic intensity (ops per DRAM byte) and achieved ops per second.</summary>
public sealed record RooflinePoint(string Layer, double OpsPerDramByte, double OpsPerSecond);
