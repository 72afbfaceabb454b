using ScottPlot;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Charts;

/// <summary>Array utilization per layer, in percent, with the whole run's mean as a dashed line.</summary>
public static class UtilizationChart
{
    public const string Title = "Array utilization per layer";

    public static IReadOnlyList<LayerUtilization> From(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Layers.Select(l => new LayerUtilization(l.Name, l.Utilization))];
    }

    /// <param name="overall">The run's utilization (MACs over PEs x all cycles), drawn as a line; null to omit.</param>
    public static Plot Build(IReadOnlyList<LayerUtilization> layers, double? overall = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var plot = new Plot();
        var bars = plot.Add.Bars(layers.Select((l, i) => new Bar { Position = i, Value = 100 * l.Utilization, FillColor = ChartStyle.Series(0), Size = 0.8 }).ToList());
        bars.LegendText = "layer";
        if (overall is double o)
        {
            var line = plot.Add.HorizontalLine(100 * o, 2, ChartStyle.Series(3), LinePattern.Dashed);
            line.LegendText = $"whole run ({100 * o:0.#} %)";
        }

        ChartStyle.CategoryAxis(plot, [.. layers.Select(l => l.Layer)]);
        plot.Title(Title);
        plot.YLabel("Utilization (% of PE-cycles)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
