using SiliconSim.Reporting.Charts;
using SiliconSim.Reporting.Html;
using SiliconSim.Reporting.Json;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting;

/// <summary>
/// Renders a run's charts (PNG and SVG) and its self-contained <c>report.html</c> into a directory. The run's own data
/// gives latency, utilization and roofline charts; <see cref="ReportExtras"/> adds energy and thermal ones.
/// </summary>
public static class ReportBuilder
{
    public const string HtmlFileName = "report.html";

    /// <summary>Renders every chart the data supports and writes report.html; returns the charts in page order.</summary>
    public static IReadOnlyList<RenderedChart> Render(RunReport report, string directory, ReportExtras? extras = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        extras ??= report.Extras;
        Directory.CreateDirectory(directory);
        SimulationResult r = report.Result;
        double overall = r.TotalCycles == 0 ? 0 : r.Macs / ((double)r.PeCount * r.TotalCycles);
        var charts = new List<RenderedChart>
        {
            ChartFiles.Save(LatencyChart.Build(LatencyChart.From(r)), directory, "latency", LatencyChart.Title),
            ChartFiles.Save(UtilizationChart.Build(UtilizationChart.From(r), overall), directory, "utilization", UtilizationChart.Title),
            ChartFiles.Save(RooflineChart.Build(RooflineChart.From(r)), directory, "roofline", RooflineChart.Title),
        };
        if (extras.Energy is { } energy)
        {
            charts.Add(ChartFiles.Save(EnergyPerLayerChart.Build(energy), directory, "energy_layers", EnergyPerLayerChart.Title));
            charts.Add(ChartFiles.Save(EnergyPerInferenceChart.Build(energy, Math.Max(1, r.Batch)), directory, "energy_inference", EnergyPerInferenceChart.Title));
        }

        if (extras.Thermal is { } thermal)
        {
            charts.Add(ChartFiles.Save(ThermalChart.Build(thermal), directory, "thermal", ThermalChart.Title));
        }

        using (var html = new StreamWriter(Path.Combine(directory, HtmlFileName)))
        {
            HtmlReport.Write(report, charts, html);
        }

        return charts;
    }
}
