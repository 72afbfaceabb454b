using System.Globalization;
using ScottPlot;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// What the on-chip buffers hold over the layer sequence, as the network memory plan placed it: per layer, stacked,
/// the resident activations (inputs still to be read, kept outputs) and the layer's tiles in the activation buffers,
/// which the activation capacity (every buffer not dedicated to weights, a dashed line) bounds, then above them what a
/// buffer dedicated to weights holds (the layer's weight tiles and the resident weights), which it does not; a marker on each layer
/// that spills, labelled with the bytes it wrote to DRAM, and on each that refills, with the bytes it read back.
/// </summary>
public static class MemoryOccupancyChart
{
    public const string Title = "On-chip memory occupancy per layer";

    /// <summary>The chart's files are <c>memory.png</c> and <c>memory.svg</c>; report.html shows it in its memory-plan section.</summary>
    public const string FileStem = "memory";

    public const string SpillLegend = "spill (bytes written to DRAM)";

    public const string RefillLegend = "refill (bytes read back)";

    /// <summary>A capacity more than this many times the fullest layer is left off the axis (named in the legend).</summary>
    public const int OffScaleRatio = 4;

    /// <summary>True when the network memory plan ran (its activation capacity is known; a converted /1 report has none).</summary>
    public static bool Applies(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Performance.Plan.ActivationCapacityBytes > 0;
    }

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SimulationResult r = run.Performance;
        var layers = r.Layers;
        long capacity = r.Plan.ActivationCapacityBytes;
        long[] tops = [.. layers.Select(l => l.Occupancy.ResidentActivationBytes + l.Occupancy.TileBytes + l.Occupancy.ResidentWeightBytes)];
        long peak = tops.DefaultIfEmpty(0).Max();

        // A capacity far above what the layers hold (a small model in TPUv1's 24 MiB) would flatten every bar to the
        // axis: the axis then follows the bars and the legend gives the capacity.
        bool capacityOnAxis = peak == 0 || capacity <= OffScaleRatio * peak;
        long high = capacityOnAxis ? Math.Max(capacity, peak) : peak;
        var (divisor, unit) = Unit(high);

        var plot = new Plot();
        bool weights = layers.Any(l => l.Occupancy.ResidentWeightBytes > 0);
        bool weightBuffer = layers.Any(l => l.Occupancy.WeightBufferTileBytes > 0);
        var series = new List<(string Legend, double[] Values)>
        {
            ("resident activations", [.. layers.Select(l => l.Occupancy.ResidentActivationBytes / divisor)]),
            (weightBuffer ? "tiles in the activation buffers" : "tile working set", [.. layers.Select(l => (l.Occupancy.TileBytes - l.Occupancy.WeightBufferTileBytes) / divisor)]),
        };
        if (weightBuffer)
        {
            series.Add(("weight tiles (weight buffer)", [.. layers.Select(l => l.Occupancy.WeightBufferTileBytes / divisor)]));
        }

        series.Add((weights ? "resident weights" : "resident weights (none: they stream)", [.. layers.Select(l => l.Occupancy.ResidentWeightBytes / divisor)]));
        ChartStyle.StackedBars(plot, [.. series.Select(s => s.Legend)], [.. series.Select(s => s.Values)]);

        if (capacity > 0)
        {
            var line = plot.Add.HorizontalLine(capacity / divisor, 2, Colors.Black, LinePattern.Dashed);
            line.LegendText = capacityOnAxis ? $"activation capacity ({Bytes(capacity)})" : $"activation capacity ({Bytes(capacity)}, above the axis)";
        }

        // Marker colours after the four bar components' (Category10 5 and 6), so a marker never matches a bar.
        AddEvents(plot, layers, tops, divisor, l => l.Dram.SpillWriteBytes, MarkerShape.FilledTriangleDown, ChartStyle.Series(5), SpillLegend);
        AddEvents(plot, layers, tops, divisor, l => l.Dram.RefillReadBytes, MarkerShape.FilledTriangleUp, ChartStyle.Series(6), RefillLegend);
        AddLabels(plot, layers, tops, divisor);

        ChartStyle.CategoryAxis(plot, [.. layers.Select(l => l.Name)]);
        plot.Title(Title);
        plot.YLabel($"Bytes on chip ({unit})");
        plot.XLabel("Layer (execution order)");

        // Headroom above the tallest bar (and the capacity line) for the event labels; the legend below the plot area,
        // where it cannot hide a marker whichever layers spill.
        plot.Axes.SetLimitsY(0, Math.Max(high / divisor, 1) * 1.15);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>"512 B", "20 KiB", "1.5 MiB": binary units, at most one decimal.</summary>
    public static string Bytes(long bytes)
    {
        var (divisor, unit) = Unit(bytes, threshold: 1);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / divisor:0.#} {unit}");
    }

    /// <summary>The unit of an axis whose largest value is <paramref name="bytes"/>: the largest binary unit it is
    /// <paramref name="threshold"/> of, so the axis ticks stay whole numbers.</summary>
    private static (double Divisor, string Unit) Unit(double bytes, double threshold = 2) =>
        bytes >= threshold * 1024 * 1024 * 1024 ? (1024.0 * 1024 * 1024, "GiB")
        : bytes >= threshold * 1024 * 1024 ? (1024.0 * 1024, "MiB")
        : bytes >= threshold * 1024 ? (1024.0, "KiB")
        : (1.0, "B");

    /// <summary>One marker series at the top of each layer's stack where <paramref name="bytes"/> is positive.</summary>
    private static void AddEvents(Plot plot, IReadOnlyList<LayerResult> layers, long[] tops, double divisor, Func<LayerResult, long> bytes, MarkerShape shape, Color color, string legend)
    {
        int[] at = [.. Enumerable.Range(0, layers.Count).Where(i => bytes(layers[i]) > 0)];
        if (at.Length == 0)
        {
            return;
        }

        double[] xs = [.. at.Select(i => (double)i)];
        double[] ys = [.. at.Select(i => tops[i] / divisor)];
        var markers = plot.Add.Markers(xs, ys, shape, 12, color);
        markers.LegendText = legend;
    }

    /// <summary>
    /// "spill 36 KiB" (and "refill ...") above each marked layer; a label only when it clears the previous one by a
    /// twentieth of the layers, so a run of neighbouring spills does not print a pile of overlapping text (the
    /// report's spill table lists every one).
    /// </summary>
    private static void AddLabels(Plot plot, IReadOnlyList<LayerResult> layers, long[] tops, double divisor)
    {
        double gap = Math.Max(1, layers.Count / 20.0);
        double last = double.NegativeInfinity;
        for (int i = 0; i < layers.Count; i++)
        {
            DramTraffic d = layers[i].Dram;
            var parts = new List<string>(2);
            if (d.SpillWriteBytes > 0)
            {
                parts.Add("spill " + Bytes(d.SpillWriteBytes));
            }

            if (d.RefillReadBytes > 0)
            {
                parts.Add("refill " + Bytes(d.RefillReadBytes));
            }

            if (parts.Count == 0 || i - last < gap)
            {
                continue;
            }

            var text = plot.Add.Text(string.Join(", ", parts), i, tops[i] / divisor);
            text.LabelFontSize = 11;
            text.LabelAlignment = Alignment.LowerCenter;
            text.OffsetY = -10;
            last = i;
        }
    }
}
