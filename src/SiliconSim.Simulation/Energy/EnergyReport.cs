using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;

namespace SiliconSim.Simulation.Energy;

/// <summary>The energy of one inference: per layer (in execution order) and in total.</summary>
public sealed record EnergyReport(string Table, ImmutableArray<LayerEnergy> Layers, EnergyBreakdown Total)
{
    /// <summary>
    /// How leakage was priced; null only in a report read from a file written before leakage depended on temperature.
    /// </summary>
    public LeakagePricing? Leakage { get; init; }

    /// <summary>Ops (2 per MAC) per joule, in TOPS/W (= tera-ops per second per watt); 0 when no energy was spent.</summary>
    public double TopsPerWatt(long macs) => Total.TotalJ == 0 ? 0 : 2.0 * macs / Total.TotalJ / 1e12;
}
