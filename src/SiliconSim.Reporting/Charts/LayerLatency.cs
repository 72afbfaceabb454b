namespace SiliconSim.Reporting.Charts;

/// <summary>One layer's time on the accelerator, split into computing and waiting for memory.</summary>
public sealed record LayerLatency(string Layer, long ComputeCycles, long StallCycles);
