using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>One inference's energy as a single bar stacked by component, in microjoules.</summary>
public static class EnergyPerInferenceChart
{
    public const string Title = "Energy per inference";

    public static Plot Build(EnergyBreakdown data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var plot = new Plot();
        IReadOnlyList<double> totals = data.PerInferencePj;
        ChartStyle.StackedBars(plot, data.Components, [.. totals.Select(t => (IReadOnlyList<double>)[t / 1e6])]);
        ChartStyle.CategoryAxis(plot, [$"total {totals.Sum() / 1e6:0.###} µJ"]);
        plot.Title(Title);
        plot.YLabel("Energy (µJ)");
        plot.Axes.SetLimitsX(-1, 2.5);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
