using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// A search against the exhaustive grid it samples: every grid point (grey), the points the search evaluated (blue), and
/// both Pareto fronts (energy per inference against latency, both minimized) as stepped lines, so how much of the true
/// front the search found reads off one picture. The view is zoomed to the exhaustive front's neighbourhood (to 15 %
/// beyond its slowest latency and 50 % beyond its highest energy): a grid's far points would shrink the front to a dot.
/// </summary>
public static class SearchComparisonChart
{
    public static Plot Build(IReadOnlyList<(double LatencySeconds, double EnergyJoules)> grid, IReadOnlyList<(double LatencySeconds, double EnergyJoules)> searched, string searchName)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(searched);
        var plot = new Plot();
        Cloud(plot, grid, Colors.Gray.WithAlpha(0.35), 4, $"grid ({grid.Count} points)");
        Cloud(plot, searched, ChartStyle.Series(0).WithAlpha(0.6), 5, $"{searchName} ({searched.Count} evaluated)");
        Front(plot, grid, Colors.Black, MarkerShape.OpenCircle, 14, "exhaustive front");
        Front(plot, searched, Colors.Red, MarkerShape.FilledCircle, 7, $"{searchName} front");
        var front = ParetoFront.Of([.. grid]).Select(i => grid[i]).ToList();
        if (front.Count > 0)
        {
            plot.Axes.SetLimits(
                front.Min(p => p.LatencySeconds) * 1e6 * 0.995,
                front.Max(p => p.LatencySeconds) * 1e6 * 1.15,
                front.Min(p => p.EnergyJoules) * 1e6 * 0.9,
                front.Max(p => p.EnergyJoules) * 1e6 * 1.5);
        }

        plot.Title($"{searchName} against the exhaustive grid near its front");
        plot.XLabel("Latency (µs)");
        plot.YLabel("Energy per inference (µJ)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void Cloud(Plot plot, IReadOnlyList<(double X, double Y)> points, Color color, float size, string label)
    {
        var cloud = plot.Add.ScatterPoints(points.Select(p => p.X * 1e6).ToArray(), points.Select(p => p.Y * 1e6).ToArray());
        cloud.Color = color;
        cloud.MarkerSize = size;
        cloud.LegendText = label;
    }

    private static void Front(Plot plot, IReadOnlyList<(double X, double Y)> points, Color color, MarkerShape shape, float size, string label)
    {
        var front = ParetoFront.Of([.. points]).Select(i => points[i]).OrderBy(p => p.X).ToList();
        var line = plot.Add.Scatter(front.Select(p => p.X * 1e6).ToArray(), front.Select(p => p.Y * 1e6).ToArray());
        line.Color = color;
        line.MarkerShape = shape;
        line.MarkerSize = size;
        line.LineWidth = 1.5f;
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LegendText = label;
    }
}
