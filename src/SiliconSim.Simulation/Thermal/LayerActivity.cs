namespace SiliconSim.Simulation.Thermal;

/// <summary>One layer of one inference as the timing and energy models give it: cycles at the nominal clock and dynamic energy at the nominal voltage.</summary>
public sealed record LayerActivity(string Name, long Cycles, double DynamicEnergyJ);
