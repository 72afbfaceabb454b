using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace SiliconSim.Reporting;

/// <summary>Saves a chart as PNG and SVG at the report size and returns it for embedding.</summary>
public static partial class ChartFiles
{
    public static RenderedChart Save(Plot plot, string directory, string fileStem, string title)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.SavePng(Path.Combine(directory, fileStem + ".png"), Charts.ChartStyle.Width, Charts.ChartStyle.Height);
        string svg = NumberClipIds(plot.GetSvgXml(Charts.ChartStyle.Width, Charts.ChartStyle.Height));
        File.WriteAllText(Path.Combine(directory, fileStem + ".svg"), svg);
        return new RenderedChart(fileStem, title, svg);
    }

    /// <summary>
    /// Renumbers the SVG's clip-path ids (<c>cl_</c> and a hex number) from 0 in order of appearance. Skia's SVG canvas under ScottPlot draws them from a
    /// process-wide counter, so the same chart rendered after others in one process (a merge after a test's other
    /// sweeps) would differ in its ids alone; numbered per chart, a chart's SVG depends on its data only.
    /// </summary>
    internal static string NumberClipIds(string svg)
    {
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!numbers.TryGetValue(m.Value, out string? renamed))
            {
                renamed = "cl_" + numbers.Count.ToString(CultureInfo.InvariantCulture);
                numbers[m.Value] = renamed;
            }

            return renamed;
        });
    }

    /// <summary>
    /// The SVG with its clip-path ids prefixed by <paramref name="prefix"/>, for inlining beside other charts in one HTML
    /// page: ids numbered per chart repeat across charts, and a document's first definition of an id would clip every
    /// later chart that names it.
    /// </summary>
    internal static string PrefixClipIds(string svg, string prefix) => ClipId().Replace(svg, m => prefix + "-" + m.Value);

    [GeneratedRegex(@"\bcl_[0-9a-f]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClipId();
}
