namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Energy per layer split by component (e.g. MAC, accumulator, registers, each SRAM, DRAM, vector, leakage,
/// overhead), in picojoules: <c>LayerEnergyPj[layer][component]</c> in <see cref="Components"/> order.
/// </summary>
public sealed record EnergyBreakdown(IReadOnlyList<string> Components, IReadOnlyList<LayerEnergy> Layers)
{
    /// <summary>Σ over layers, per component, in pJ: one inference's energy split by component.</summary>
    public IReadOnlyList<double> PerInferencePj =>
        [.. Components.Select((_, c) => Layers.Sum(l => l.ComponentPj[c]))];
}
