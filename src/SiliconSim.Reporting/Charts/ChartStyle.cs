using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>Shared look of every report chart: size, palette and the category axis of per-layer charts.</summary>
public static class ChartStyle
{
    /// <summary>Pixel size every chart renders at (PNG and SVG alike).</summary>
    public const int Width = 900;

    public const int Height = 500;

    /// <summary>A colour-blind-safe categorical palette (ScottPlot's Category10), reused in order for components.</summary>
    public static Color Series(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>Names the bars 0..n-1 by the given labels, rotated so long layer names stay readable.</summary>
    public static void CategoryAxis(Plot plot, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(labels);
        double[] positions = [.. Enumerable.Range(0, labels.Count).Select(i => (double)i)];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. labels.Select(Shorten)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = labels.Count > 6 ? -45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = labels.Count > 6 ? Alignment.MiddleRight : Alignment.UpperCenter;
        plot.Axes.Bottom.MinimumSize = labels.Count > 6 ? 170 : 0;
    }

    /// <summary>Labels longer than 24 characters keep their tail, which is where ORT's node names differ.</summary>
    public static string Shorten(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Length <= 24 ? label : "…" + label[^23..];
    }

    /// <summary>Adds a stacked bar series: one bar per category, each component stacked on the previous ones.</summary>
    /// <param name="values">values[component][category].</param>
    public static void StackedBars(Plot plot, IReadOnlyList<string> components, IReadOnlyList<IReadOnlyList<double>> values)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(values);
        int categories = values.Count == 0 ? 0 : values[0].Count;
        var bottom = new double[categories];
        for (int c = 0; c < components.Count; c++)
        {
            Color color = Series(c);
            var bars = new List<Bar>();
            for (int i = 0; i < categories; i++)
            {
                double v = values[c][i];
                bars.Add(new Bar { Position = i, ValueBase = bottom[i], Value = bottom[i] + v, FillColor = color, Size = 0.8 });
                bottom[i] += v;
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = components[c];
        }
    }
}
