using System.Collections.Concurrent;
using System.Collections.Immutable;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Energy;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Energy per inference and its main components from the point's energy table (the config's <c>energy:</c>), so the
/// Pareto front is latency against energy. A table that cannot be loaded or cannot price the point leaves the columns
/// empty rather than failing the sweep; <c>siliconsim run</c> on that point's config shows the reason.
/// </summary>
internal sealed class EnergyEvaluator : IPointEvaluator
{
    private readonly ConcurrentDictionary<string, EnergyTableSpec?> _tables = new(StringComparer.Ordinal);

    public ImmutableArray<string> Columns { get; } =
        ["energy_j", "energy_mac_j", "energy_sram_j", "energy_dram_j", "energy_leakage_j", "tops_per_w"];

    public ImmutableArray<double?> Evaluate(PointContext point, SimulationResult result)
    {
        if (Price(point, result) is not EnergyReport energy)
        {
            return [.. Columns.Select(_ => (double?)null)];
        }

        EnergyBreakdown t = energy.Total;
        double batch = result.Batch;
        return [t.TotalJ / batch, t.MacJ / batch, t.SramJ / batch, t.DramJ / batch, t.LeakageJ / batch, energy.TopsPerWatt(result.Macs)];
    }

    /// <summary>The point's energy report, or null when its table cannot be loaded or cannot price the point.</summary>
    public EnergyReport? Price(PointContext point, SimulationResult result)
    {
        var spec = point.Point.Spec;
        EnergyTableSpec? table = spec is null ? null : _tables.GetOrAdd(spec.EnergyTable, name => EnergyTableLoader.Load(name).Table);
        return spec is null || table is null || !EnergyModel.Validate(table, spec).IsEmpty ? null : EnergyAccounting.Evaluate(result, spec, table);
    }
}
