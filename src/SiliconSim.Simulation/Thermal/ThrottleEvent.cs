namespace SiliconSim.Simulation.Thermal;

/// <summary>A governor decision: at <see cref="TimeS"/>, with the junction at <see cref="JunctionC"/>, the DVFS step changed (higher index = slower).</summary>
public readonly record struct ThrottleEvent(double TimeS, double JunctionC, int FromStep, int ToStep);
