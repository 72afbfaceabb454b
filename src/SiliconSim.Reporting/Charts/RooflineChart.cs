using ScottPlot;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// A log-log roofline: the memory roof (bandwidth x intensity) up to the ridge, the compute roof after it, each layer
/// placed at its intensity and achieved throughput and labelled. ScottPlot 5 has no log axis, so coordinates are
/// log10 values and the tick labels show powers of ten (the ScottPlot cookbook's log-scale recipe).
/// </summary>
public static class RooflineChart
{
    public const string Title = "Roofline";

    /// <summary>
    /// Matrix layers that move DRAM bytes and take cycles, each with its place on the roofline; the others have no
    /// finite place on the chart.
    /// </summary>
    internal static IReadOnlyList<(string Layer, RooflinePoint Point)> Points(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return
        [
            .. result.Layers
                .Where(l => l.Macs > 0 && l.TotalCycles > 0 && double.IsFinite(l.OpsPerDramByte))
                .Select(l => (l.Name, new RooflinePoint
                {
                    Ops = 2 * l.Macs,
                    OpsPerDramByte = l.OpsPerDramByte,
                    AttainedOpsPerSecond = 2.0 * l.Macs / (l.TotalCycles / (result.ClockMhz * 1e6)),
                    PeakOpsPerSecond = result.PeakOpsPerSecond,
                    MemoryRoofOpsPerSecond = l.OpsPerDramByte * result.DramBytesPerSecond,
                })),
        ];
    }

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SimulationResult result = run.Performance;
        var points = Points(result);
        double peakOpsPerSecond = result.PeakOpsPerSecond, dramBytesPerSecond = result.DramBytesPerSecond;
        var plot = new Plot();
        double ridge = peakOpsPerSecond / dramBytesPerSecond;
        double xMin = Math.Min(ridge / 100, points.Select(p => p.Point.OpsPerDramByte).DefaultIfEmpty(ridge).Min() / 2);
        double xMax = Math.Max(ridge * 100, points.Select(p => p.Point.OpsPerDramByte).DefaultIfEmpty(ridge).Max() * 2);

        var memory = plot.Add.Scatter(
            new[] { Math.Log10(xMin), Math.Log10(ridge) },
            new[] { Math.Log10(xMin * dramBytesPerSecond), Math.Log10(peakOpsPerSecond) });
        memory.LegendText = $"memory roof ({dramBytesPerSecond / 1e9:0.##} GB/s)";
        memory.Color = ChartStyle.Series(1);
        memory.LineWidth = 2;
        memory.MarkerSize = 0;
        var compute = plot.Add.Scatter(
            new[] { Math.Log10(ridge), Math.Log10(xMax) },
            new[] { Math.Log10(peakOpsPerSecond), Math.Log10(peakOpsPerSecond) });
        compute.LegendText = $"compute roof ({peakOpsPerSecond / 1e9:0.##} GOPS)";
        compute.Color = ChartStyle.Series(3);
        compute.LineWidth = 2;
        compute.MarkerSize = 0;

        if (points.Count > 0)
        {
            double[] xs = [.. points.Select(p => Math.Log10(p.Point.OpsPerDramByte))];
            double[] ys = [.. points.Select(p => Math.Log10(p.Point.AttainedOpsPerSecond))];
            var layers = plot.Add.ScatterPoints(xs, ys);
            layers.LegendText = "layers";
            layers.Color = ChartStyle.Series(0);
            layers.MarkerSize = 8;
            foreach (var (layer, p) in points)
            {
                var label = plot.Add.Text(ChartStyle.Shorten(layer), Math.Log10(p.OpsPerDramByte), Math.Log10(p.AttainedOpsPerSecond));
                label.LabelFontSize = 10;
                label.OffsetX = 6;
                label.OffsetY = -6;
            }
        }

        foreach (var axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = v => "1e" + v.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        plot.Title(Title);
        plot.XLabel("Arithmetic intensity (ops per DRAM byte, log)");
        plot.YLabel("Throughput (ops/s, log)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
