using ScottPlot;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting.Charts;

/// <summary>Energy per layer of one run (the whole batch), stacked by component, in nanojoules.</summary>
public static class EnergyPerLayerChart
{
    public const string Title = "Energy per layer";

    /// <summary>True when the run's energy report has layers (a /1 report without an energy section has none).</summary>
    public static bool Applies(RunResult run) => run is { Energy.Layers.IsDefaultOrEmpty: false };

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var layers = run.Energy.Layers;
        double[][] pj = [.. layers.Select(l => EnergyComponents.Picojoules(l.Energy))];
        var plot = new Plot();
        ChartStyle.StackedBars(
            plot,
            EnergyComponents.Names,
            [.. EnergyComponents.Names.Select((_, c) => (IReadOnlyList<double>)[.. pj.Select(l => l[c] / 1e3)])]);
        ChartStyle.CategoryAxis(plot, [.. layers.Select(l => l.Name)]);
        plot.Title(Title);
        plot.YLabel("Energy (nJ)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
