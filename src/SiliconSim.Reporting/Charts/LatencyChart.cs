using ScottPlot;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting.Charts;

/// <summary>Per-layer latency as stacked bars: compute cycles at the bottom, stall cycles on top.</summary>
public static class LatencyChart
{
    public const string Title = "Latency per layer";

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var layers = run.Performance.Layers;
        var plot = new Plot();
        ChartStyle.StackedBars(
            plot,
            ["compute", "stall"],
            [[.. layers.Select(l => (double)l.ComputeCycles)], [.. layers.Select(l => (double)l.StallCycles)]]);
        ChartStyle.CategoryAxis(plot, [.. layers.Select(l => l.Name)]);
        plot.Title(Title);
        plot.YLabel("Latency (cycles)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
