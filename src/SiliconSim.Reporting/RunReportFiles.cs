using System.Collections.Immutable;
using System.Text.Json;
using SiliconSim.Reporting.Charts;
using SiliconSim.Reporting.Html;
using SiliconSim.Reporting.Json;
using SiliconSim.Reporting.Tables;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting;

/// <summary>
/// A run's output folder: <c>report.json</c> (schema <c>siliconsim.run/2</c>, reports/README.md), <c>layers.csv</c>,
/// the charts (PNG and SVG) and <c>report.html</c>, all rendered from the one <see cref="RunReport"/>.
/// </summary>
public static class RunReportFiles
{
    public const string JsonFileName = "report.json";

    public const string CsvFileName = "layers.csv";

    public const string HtmlFileName = "report.html";

    /// <summary>The schema id <see cref="Write"/> puts in report.json.</summary>
    public const string SchemaId = RunReportJson.SchemaId;

    /// <summary>Writes report.json, layers.csv, the charts and report.html into <paramref name="outDir"/> (created if
    /// missing); returns the paths written, report.json first.</summary>
    public static ImmutableArray<string> Write(RunReport report, string outDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(outDir);
        string json = Path.Combine(outDir, JsonFileName);
        using (var stream = File.Create(json))
        {
            RunReportJson.Write(report, stream);
        }

        string csv = Path.Combine(outDir, CsvFileName);
        using (var writer = new StreamWriter(csv))
        {
            LayersCsv.Write(report.Result, writer);
        }

        return [json, csv, .. Render(report, outDir)];
    }

    /// <summary>
    /// Reads report.json of schema <c>siliconsim.run/2</c>, or of the retired <c>/1</c> (converted; reports/README.md
    /// lists what a /1 file cannot supply).
    /// </summary>
    /// <exception cref="RunReportFormatException">not JSON, another schema, or a key missing or of the wrong type.</exception>
    public static RunReport Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <inheritdoc cref="Read(string)"/>
    public static RunReport Read(Stream stream)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new RunReportFormatException($"not valid JSON: {e.Message}", e);
        }

        using (json)
        {
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RunReportFormatException("the top level must be a JSON object");
            }

            string? schema = root.TryGetProperty("schema", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return schema switch
            {
                RunReportJson.SchemaId => RunReportJson.Read(json),
                RunReportV1Reader.SchemaId => RunReportV1Reader.Read(root),
                null => throw new RunReportFormatException($"missing key 'schema' (expected '{RunReportJson.SchemaId}')"),
                _ => throw new RunReportFormatException($"schema is '{schema}', expected '{RunReportJson.SchemaId}' (or the older '{RunReportV1Reader.SchemaId}')"),
            };
        }
    }

    /// <summary>Renders the charts (PNG and SVG) and report.html into <paramref name="outDir"/>; returns the paths written.</summary>
    public static ImmutableArray<string> Render(RunReport report, string outDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(outDir);
        var charts = RenderCharts(report.Result, outDir);
        string html = Path.Combine(outDir, HtmlFileName);
        using (var writer = new StreamWriter(html))
        {
            HtmlReport.Write(report, charts, writer);
        }

        return [.. charts.SelectMany(c => new[] { Path.Combine(outDir, c.FileStem + ".png"), Path.Combine(outDir, c.FileStem + ".svg") }), html];
    }

    /// <summary>Every chart the result supports: latency, utilization and roofline always; memory occupancy when the
    /// network memory plan ran; energy per layer and per inference when the energy report has layers; thermal when the
    /// thermal model ran. report.html shows them in this order, the memory chart in its memory-plan section.</summary>
    internal static IReadOnlyList<RenderedChart> RenderCharts(RunResult run, string outDir)
    {
        var charts = new List<RenderedChart>
        {
            ChartFiles.Save(LatencyChart.Build(run), outDir, "latency", LatencyChart.Title),
            ChartFiles.Save(UtilizationChart.Build(run), outDir, "utilization", UtilizationChart.Title),
            ChartFiles.Save(RooflineChart.Build(run), outDir, "roofline", RooflineChart.Title),
        };
        if (MemoryOccupancyChart.Applies(run))
        {
            charts.Add(ChartFiles.Save(MemoryOccupancyChart.Build(run), outDir, MemoryOccupancyChart.FileStem, MemoryOccupancyChart.Title));
        }

        if (EnergyPerLayerChart.Applies(run))
        {
            charts.Add(ChartFiles.Save(EnergyPerLayerChart.Build(run), outDir, "energy_layers", EnergyPerLayerChart.Title));
            charts.Add(ChartFiles.Save(EnergyPerInferenceChart.Build(run), outDir, "energy_inference", EnergyPerInferenceChart.Title));
        }

        if (ThermalChart.Applies(run))
        {
            charts.Add(ChartFiles.Save(ThermalChart.Build(run), outDir, "thermal", ThermalChart.Title));
        }

        return charts;
    }
}
