using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>Energy per layer, stacked by component, in nanojoules.</summary>
public static class EnergyPerLayerChart
{
    public const string Title = "Energy per layer";

    public static Plot Build(EnergyBreakdown data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var plot = new Plot();
        ChartStyle.StackedBars(
            plot,
            data.Components,
            [.. data.Components.Select((_, c) => (IReadOnlyList<double>)[.. data.Layers.Select(l => l.ComponentPj[c] / 1e3)])]);
        ChartStyle.CategoryAxis(plot, [.. data.Layers.Select(l => l.Layer)]);
        plot.Title(Title);
        plot.YLabel("Energy (nJ)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
