namespace SiliconSim.Simulation.Thermal;

/// <summary>How a thermal run ended.</summary>
public enum ThermalRunStatus
{
    /// <summary>The whole duration was simulated.</summary>
    Completed,

    /// <summary>Leakage feedback had no fixed point or the junction diverged; the run stopped there.</summary>
    Runaway,
}
