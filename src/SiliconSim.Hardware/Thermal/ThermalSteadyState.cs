namespace SiliconSim.Hardware.Thermal;

/// <summary>
/// The junction temperature a constant dynamic power settles at with leakage feedback, or the reason it does not
/// (<see cref="Converged"/> false: leakage grows faster with temperature than the network can shed it — runaway).
/// </summary>
public sealed record ThermalSteadyState(bool Converged, double JunctionC, double LeakagePowerW, string? Reason);
