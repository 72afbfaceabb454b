using ScottPlot;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Charts;

/// <summary>Per-layer latency as stacked bars: compute cycles at the bottom, stall cycles on top.</summary>
public static class LatencyChart
{
    public const string Title = "Latency per layer";

    public static IReadOnlyList<LayerLatency> From(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Layers.Select(l => new LayerLatency(l.Name, l.ComputeCycles, l.StallCycles))];
    }

    public static Plot Build(IReadOnlyList<LayerLatency> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var plot = new Plot();
        ChartStyle.StackedBars(
            plot,
            ["compute", "stall"],
            [[.. layers.Select(l => (double)l.ComputeCycles)], [.. layers.Select(l => (double)l.StallCycles)]]);
        ChartStyle.CategoryAxis(plot, [.. layers.Select(l => l.Layer)]);
        plot.Title(Title);
        plot.YLabel("Latency (cycles)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
