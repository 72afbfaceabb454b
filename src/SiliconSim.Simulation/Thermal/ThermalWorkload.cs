namespace SiliconSim.Simulation.Thermal;

/// <summary>How inferences are issued in a thermal run.</summary>
public enum ThermalWorkload
{
    /// <summary>Each inference starts as soon as the previous one ends.</summary>
    BackToBack,

    /// <summary>Inference k is released at k / rate; idle power between; a late inference starts when the previous ends.</summary>
    FixedRate,
}
