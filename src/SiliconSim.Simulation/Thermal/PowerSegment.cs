namespace SiliconSim.Simulation.Thermal;

/// <summary>A stretch of constant dynamic power at the nominal operating point.</summary>
public sealed record PowerSegment(double DurationS, double DynamicEnergyJ)
{
    public double DynamicPowerW => DynamicEnergyJ / DurationS;
}
