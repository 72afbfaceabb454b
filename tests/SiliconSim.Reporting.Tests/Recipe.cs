using ScottPlot;

namespace SiliconSim.Reporting.Tests;

/// <summary>Chart-recipe helpers: save the PNG under the test's bin folder and read back what was plotted.</summary>
internal static class Recipe
{
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "recipes");

    public static void Save(Plot plot, string name)
    {
        Directory.CreateDirectory(OutputFolder);
        string path = Path.Combine(OutputFolder, name + ".png");
        plot.SavePng(path, Charts.ChartStyle.Width, Charts.ChartStyle.Height);
        Assert.True(new FileInfo(path).Length > 1000, $"{path} is (nearly) empty");
    }

    public static string[] LegendLabels(Plot plot) =>
        [.. plot.GetPlottables().SelectMany(p => p.LegendItems).Select(i => i.LabelText).Where(t => !string.IsNullOrEmpty(t))];

    public static List<ScottPlot.Plottables.BarPlot> BarSeries(Plot plot) => [.. plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>()];

    public static Coordinates[] Points(ScottPlot.Plottables.Scatter scatter) => [.. scatter.Data.GetScatterPoints()];
}
