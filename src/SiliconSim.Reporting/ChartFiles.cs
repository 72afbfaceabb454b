using ScottPlot;

namespace SiliconSim.Reporting;

/// <summary>Saves a chart as PNG and SVG at the report size and returns it for embedding.</summary>
public static class ChartFiles
{
    public static RenderedChart Save(Plot plot, string directory, string fileStem, string title)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.SavePng(Path.Combine(directory, fileStem + ".png"), Charts.ChartStyle.Width, Charts.ChartStyle.Height);
        string svg = plot.GetSvgXml(Charts.ChartStyle.Width, Charts.ChartStyle.Height);
        File.WriteAllText(Path.Combine(directory, fileStem + ".svg"), svg);
        return new RenderedChart(fileStem, title, svg);
    }
}
