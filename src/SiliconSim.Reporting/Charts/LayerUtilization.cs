namespace SiliconSim.Reporting.Charts;

/// <summary>One layer's array utilization: MACs / (PEs x total cycles), 0..1.</summary>
public sealed record LayerUtilization(string Layer, double Utilization);
