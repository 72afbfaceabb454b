using SiliconSim.Hardware.Energy;

namespace SiliconSim.Simulation.Energy;

/// <summary>One layer's action counts and their energy.</summary>
public sealed record LayerEnergy(string Name, ActionCounts Counts, EnergyBreakdown Energy);
