using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// A sweep's energy per inference against latency: every point coloured by the chosen parameter (Viridis, with a
/// colour bar), the Pareto front ringed and joined by a line in latency order.
/// </summary>
public static class ParetoChart
{
    public const string Title = "Sweep: energy per inference vs latency";

    public static Plot Build(IReadOnlyList<SweepPoint> points, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        double min = points.Select(p => p.Parameter).DefaultIfEmpty(0).Min();
        double max = points.Select(p => p.Parameter).DefaultIfEmpty(1).Max();
        var range = new ScottPlot.Range(min, max == min ? min + 1 : max);
        foreach (SweepPoint p in points)
        {
            var marker = plot.Add.Marker(p.LatencySeconds * 1e3, p.EnergyPerInferenceJoules * 1e6, MarkerShape.FilledCircle, 9, colormap.GetColor(p.Parameter, range));
            marker.LegendText = string.Empty;
        }

        SweepPoint[] front = [.. ParetoFront.Of([.. points.Select(p => (p.LatencySeconds, p.EnergyPerInferenceJoules))]).Select(i => points[i])];
        if (front.Length > 0)
        {
            double[] xs = [.. front.Select(p => p.LatencySeconds * 1e3)];
            double[] ys = [.. front.Select(p => p.EnergyPerInferenceJoules * 1e6)];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = "Pareto front";
            line.Color = Colors.Red;
            line.LineWidth = 1.5f;
            line.MarkerShape = MarkerShape.OpenCircle;
            line.MarkerSize = 16;
        }

        var bar = plot.Add.ColorBar(new RangedColormap(colormap, range));
        bar.Label = parameterName;
        plot.Title(Title);
        // A sweep times one run of each model: its whole batch (360 images for a digits test case, 1 for a bare model).
        plot.XLabel("Latency of one run, whole batch (ms)");
        plot.YLabel("Energy per inference (µJ)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>A colormap fixed to a value range, so the colour bar's ticks read in the parameter's units.</summary>
    private sealed class RangedColormap(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; set; } = colormap;

        public ScottPlot.Range GetRange() => range;
    }
}
