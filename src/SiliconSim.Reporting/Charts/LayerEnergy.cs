namespace SiliconSim.Reporting.Charts;

/// <summary>One layer's energy per component in picojoules, in the breakdown's component order.</summary>
public sealed record LayerEnergy(string Layer, IReadOnlyList<double> ComponentPj);
