using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Formats side by side (e.g. Int8 vs Fp8E4M3 vs Fp4E2M1): energy per inference as bars on the left axis, accuracy as
/// markers joined by a line on the right axis.
/// </summary>
public static class FormatComparisonChart
{
    public const string Title = "Formats: energy per inference and accuracy";

    public static Plot Build(IReadOnlyList<FormatPoint> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var plot = new Plot();
        var energy = plot.Add.Bars(formats.Select((f, i) => new Bar { Position = i, Value = f.EnergyPerInferenceMicrojoules, FillColor = ChartStyle.Series(0), Size = 0.6 }).ToList());
        energy.LegendText = "energy per inference";

        double[] xs = [.. formats.Select((_, i) => (double)i)];
        double[] ys = [.. formats.Select(f => 100 * f.Accuracy)];
        var accuracy = plot.Add.Scatter(xs, ys);
        accuracy.LegendText = "top-1 accuracy";
        accuracy.Color = ChartStyle.Series(3);
        accuracy.MarkerSize = 10;
        accuracy.LineWidth = 2;
        accuracy.Axes.YAxis = plot.Axes.Right;

        ChartStyle.CategoryAxis(plot, [.. formats.Select(f => f.Format)]);
        plot.Title(Title);
        plot.XLabel("Format");
        plot.YLabel("Energy per inference (µJ)");
        plot.Axes.Right.Label.Text = "Top-1 accuracy (%)";
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, 105, plot.Axes.Right);
        // Below the plot: accuracies sit near 100 %, where a legend inside would cover their markers.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
