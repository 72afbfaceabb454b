using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// One inference's energy as a single bar stacked by component, in microjoules: the layers' energy is that of one run,
/// which holds <c>batch</c> inferences.
/// </summary>
public static class EnergyPerInferenceChart
{
    public const string Title = "Energy per inference";

    public static Plot Build(EnergyBreakdown data, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var plot = new Plot();
        IReadOnlyList<double> totals = data.PerInferencePj;
        ChartStyle.StackedBars(plot, data.Components, [.. totals.Select(t => (IReadOnlyList<double>)[t / 1e6 / batch])]);
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
