using System.Globalization;
using System.Net;
using SiliconSim.Reporting.Charts;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Html;

/// <summary>
/// Writes one self-contained HTML page for a run: provenance, totals, the memory plan, the charts as inline SVG and
/// the per-layer table. No scripts, no external assets; every string from the run is HTML-escaped.
/// </summary>
public static partial class HtmlReport
{
    public static void Write(RunReport report, IReadOnlyList<RenderedChart> charts, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(w);
        RunResult run = report.Result;
        SimulationResult r = run.Performance;
        WriteHead(w, $"{r.Model} on {r.Accelerator}");
        w.WriteLine("<h2>Run</h2><table>");
        Row(w, "schema", RunReportFiles.SchemaId);
        Row(w, "SiliconSim version", report.ToolVersion);
        Row(w, "config", $"{report.ConfigPath} (sha256 {report.ConfigSha256})");
        Row(w, "model", $"{report.ModelPath} (sha256 {report.ModelSha256})");
        if (!report.ConfigOverrides.IsDefaultOrEmpty)
        {
            Row(w, "config overrides", string.Join(", ", report.ConfigOverrides));
        }

        Row(w, "numerics", run.Numerics);
        Row(w, "values", ValuesText(run.Values));
        Row(w, "clock", F(r.ClockMhz) + " MHz");
        Row(w, "PEs", F(r.PeCount));
        Row(w, "DRAM bandwidth", F(r.DramBandwidthGBps) + " GB/s");
        Row(w, "batch", F(r.Batch));
        Row(w, "MACs", F(r.Macs));
        Row(w, "cycles (compute + stall)", $"{F(r.TotalCycles)} ({F(r.ComputeCycles)} + {F(r.StallCycles)})");
        Row(w, "latency", F(r.LatencySeconds * 1e6) + " µs");
        Row(w, "inferences per second", F(r.InferencesPerSecond));
        if (!run.Energy.Layers.IsDefaultOrEmpty)
        {
            Row(w, "energy per inference", F(run.EnergyPerInferenceJ * 1e6) + " µJ");
            Row(w, "TOPS/W", F(run.TopsPerWatt));
        }

        if (run.ThermalSummary is { } thermal)
        {
            Row(w, "peak junction", F(thermal.PeakJunctionC) + " °C");
        }

        w.WriteLine("</table>");

        if (run.Outputs.Length > 0)
        {
            w.WriteLine("<h2>Outputs against the golden</h2><table><tr><th>output</th><th>elements</th><th>mismatches</th><th>max |diff|</th><th>top-1 agreement</th></tr>");
            foreach (OutputDrift o in run.Outputs)
            {
                string top1 = o.Top1AgreeWithGolden is int a && o.Rows > 0 ? $"{a}/{o.Rows}" : "";
                long mismatches = o.Problem is null ? o.Mismatches : o.Elements;
                w.WriteLine($"<tr><td>{E(o.Name)}</td><td class=\"n\">{F(o.Elements)}</td><td class=\"n\">{F(mismatches)}</td><td class=\"n\">{F(o.MaxAbsDiff)}</td><td class=\"n\">{E(top1)}</td></tr>");
            }

            w.WriteLine("</table>");
        }

        RenderedChart? memory = charts.FirstOrDefault(c => c.FileStem == MemoryOccupancyChart.FileStem);
        WriteMemoryPlan(w, run, memory);

        w.WriteLine("<h2>Charts</h2>");
        WriteFigures(w, [.. charts.Where(c => c != memory)]);

        w.WriteLine("<h2>Layers</h2><table><tr><th>#</th><th>layer</th><th>op</th><th>unit</th><th>shape</th><th>MACs</th>"
            + "<th>compute cycles</th><th>stall cycles</th><th>utilization</th><th>SRAM read B</th><th>SRAM write B</th>"
            + "<th>DRAM read B</th><th>DRAM write B</th><th>ops / DRAM B</th><th>memory plan</th></tr>");
        for (int i = 0; i < r.Layers.Length; i++)
        {
            LayerResult l = r.Layers[i];
            w.WriteLine($"<tr><td class=\"n\">{i}</td><td>{E(l.Name)}</td><td>{E(l.OpType)}</td><td>{(l.Kind == LayerKind.Matrix ? "array" : "vector")}</td>"
                + $"<td>{E(l.Shape)}</td><td class=\"n\">{F(l.Macs)}</td><td class=\"n\">{F(l.ComputeCycles)}</td><td class=\"n\">{F(l.StallCycles)}</td>"
                + $"<td class=\"n\">{F(100 * l.Utilization)} %</td><td class=\"n\">{F(l.SramReadBytes)}</td><td class=\"n\">{F(l.SramWriteBytes)}</td>"
                + $"<td class=\"n\">{F(l.DramReadBytes)}</td><td class=\"n\">{F(l.DramWriteBytes)}</td><td class=\"n\">{F(l.OpsPerDramByte)}</td>"
                + $"<td class=\"plan\">{E(PlanText(r.Layers, i))}</td></tr>");
        }

        w.WriteLine("</table>");
        w.WriteLine("</body></html>");
    }

    private static string ValuesText(ValuesOutcome values) => values switch
    {
        ValuesOutcome.TimingOnly => "timing only (not executed)",
        ValuesOutcome.Executed => "executed (no golden to compare with)",
        ValuesOutcome.BitExact => "bit-exact against the golden",
        ValuesOutcome.Mismatch => "differ from the golden",
        ValuesOutcome.Drift => "drift from the golden under the array's numerics",
        _ => values.ToString(),
    };

    /// <summary>The page head every SiliconSim report shares (title, styles) and its heading.</summary>
    internal static void WriteHead(TextWriter w, string title)
    {
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.WriteLine($"<title>SiliconSim: {E(title)}</title>");
        w.WriteLine("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:0.9em}"
            + "td,th{border:1px solid #ccc;padding:2px 6px}td.n{text-align:right;font-variant-numeric:tabular-nums}"
            + "td.plan{white-space:nowrap}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}</style>");
        w.WriteLine("</head><body>");
        w.WriteLine($"<h1>{E(title)}</h1>");
    }

    /// <summary>Each chart as a captioned figure with its SVG inline.</summary>
    internal static void WriteFigures(TextWriter w, IReadOnlyList<RenderedChart> charts)
    {
        foreach (RenderedChart c in charts)
        {
            w.WriteLine($"<figure id=\"{E(c.FileStem)}\"><figcaption>{E(c.Title)}</figcaption>");
            w.WriteLine(InlineSvg(ChartFiles.PrefixClipIds(c.Svg, c.FileStem)));
            w.WriteLine("</figure>");
        }
    }

    /// <summary>HTML-escapes text for element content and attribute values.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>ScottPlot's SVG starts with an XML declaration, which is not allowed inside HTML.</summary>
    private static string InlineSvg(string svg)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    private static void Row(TextWriter w, string key, string value) => w.WriteLine($"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");

    private static string F(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "∞";
}
