using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// The derived quantities a constraint may name besides numeric config paths: <c>total_sram_kib</c> (every buffer's
/// capacity together, <see cref="MemorySpec.TotalSramBytes"/> / 1024) and <c>pe_count</c> (<see cref="ArraySpec.PeCount"/>).
/// Every quantity is read from the point's resolved spec, a config path through the catalogue's accessor
/// (<see cref="SpecParameters.ReadNumber"/>), so a constraint sees the values the simulation runs with.
/// </summary>
public static class SweepQuantities
{
    /// <summary>The derived quantity names, sorted.</summary>
    public static ImmutableArray<string> Names { get; } = ["pe_count", "total_sram_kib"];

    /// <summary>The quantity's value in the spec, or null when it names no number of it.</summary>
    public static double? Evaluate(AcceleratorSpec spec, string name)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return name switch
        {
            "pe_count" => spec.Array.PeCount,
            "total_sram_kib" => spec.Memory.TotalSramBytes / 1024.0,
            _ => SpecParameters.ReadNumber(spec, name),
        };
    }
}
