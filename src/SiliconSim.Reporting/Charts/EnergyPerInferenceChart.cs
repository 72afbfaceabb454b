using ScottPlot;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// One inference's energy as a single bar stacked by component, in microjoules: the layers' energy summed per
/// component is that of one run, which holds <see cref="RunResult.Batch"/> inferences.
/// </summary>
public static class EnergyPerInferenceChart
{
    public const string Title = "Energy per inference";

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        int batch = Math.Max(1, run.Batch);
        double[][] pj = [.. run.Energy.Layers.Select(l => EnergyComponents.Picojoules(l.Energy))];
        double[] totals = [.. EnergyComponents.Names.Select((_, c) => pj.Sum(l => l[c]))];
        var plot = new Plot();
        ChartStyle.StackedBars(plot, EnergyComponents.Names, [.. totals.Select(t => (IReadOnlyList<double>)[t / 1e6 / batch])]);
        ChartStyle.CategoryAxis(plot, [$"total {totals.Sum() / 1e6 / batch:0.####} µJ"]);
        if (batch > 1)
        {
            plot.XLabel($"one inference of a batch of {batch} ({totals.Sum() / 1e6:0.###} µJ per run)");
        }

        plot.Title(Title);
        plot.YLabel("Energy (µJ)");
        plot.Axes.SetLimitsX(-1, 2.5);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
