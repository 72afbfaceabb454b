using ScottPlot;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Charts;

/// <summary>Array utilization per layer, in percent, with the whole run's (MACs over PEs x all cycles) as a dashed line.</summary>
public static class UtilizationChart
{
    public const string Title = "Array utilization per layer";

    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SimulationResult r = run.Performance;
        double overall = r.TotalCycles == 0 ? 0 : r.Macs / ((double)r.PeCount * r.TotalCycles);
        var plot = new Plot();
        var bars = plot.Add.Bars(r.Layers.Select((l, i) => new Bar { Position = i, Value = 100 * l.Utilization, FillColor = ChartStyle.Series(0), Size = 0.8 }).ToList());
        bars.LegendText = "layer";
        var line = plot.Add.HorizontalLine(100 * overall, 2, ChartStyle.Series(3), LinePattern.Dashed);
        line.LegendText = $"whole run ({100 * overall:0.#} %)";

        ChartStyle.CategoryAxis(plot, [.. r.Layers.Select(l => l.Name)]);
        plot.Title(Title);
        plot.YLabel("Utilization (% of PE-cycles)");
        plot.XLabel("Layer (execution order)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
