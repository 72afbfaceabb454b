using System.Net;
using System.Text.RegularExpressions;
using SiliconSim.Reporting.Charts;
using SiliconSim.Reporting.Html;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tests;

/// <summary>
/// report.html's memory-plan section and the memory chart's files, from <see cref="ReportFixtures.Planned"/>, whose
/// numbers are worked out by hand in its summary.
/// </summary>
public sealed partial class MemoryPlanReportTests
{
    [Fact]
    public void Html_MemoryPlan_GivesTheNetworkDramByCauseBesideTheLowerBound()
    {
        string section = MemorySection(Html(ReportFixtures.Planned()));
        List<string[]> rows = Rows(section);

        Assert.Contains(["schedule", "depth first: 1 stack of layers carried band by band"], rows);
        Assert.Contains(["activation capacity", "49,152 B (48 KiB: every buffer not dedicated to weights)"], rows);
        Assert.Contains(["peak resident activations", "40,960 B at #3 conv1, 83 % of the activation capacity"], rows);
        Assert.Contains(["weights", "streamed from DRAM by each layer (resident was asked for, but they do not fit)"], rows);
        Assert.Contains(["fused layers", "1 of 2 vector layers run in a matrix layer's epilogue"], rows);
        Assert.DoesNotContain(rows, r => r[0] == "batch split");

        Assert.Contains(["weights", "8,704", "", "yes"], rows);
        Assert.Contains(["graph inputs", "3,072", "", "yes"], rows);
        Assert.Contains(["graph outputs", "", "64", "yes"], rows);
        Assert.Contains(["spills", "", "20,480", "no"], rows);
        Assert.Contains(["refills", "20,480", "", "no"], rows);
        Assert.Contains(["total", "32,256", "20,544", ""], rows);
        Assert.Contains("DRAM moves 52,800 B in all, 4.46x the lower bound of 11,840 B", Text(section), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_MemoryPlan_ListsExactlyTheLayersThatSpillOrRefill_WithTheTensorsSpilled()
    {
        string html = Html(ReportFixtures.Planned());
        string section = MemorySection(html);

        Match table = Regex.Match(section, "<table id=\"spills\">.*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, "no spill table");
        string[][] expected =
        [
            ["#", "layer", "spilled B (written)", "refilled B (read back)", "tensors spilled here"],
            ["3", "conv1", "20,480", "0", "relu0_out, skip,a"],
            ["4", "conv2", "0", "20,480", ""],
        ];
        Assert.Equal(expected, Rows(table.Value));

        // The chart sits in this section, not among the other charts.
        Assert.Contains("<figure id=\"memory\">", section, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<figure id=\"memory\">"));

        // The layer table says what the plan did at each layer.
        List<string[]> layers = Rows(html[html.IndexOf("<h2>Layers</h2>", StringComparison.Ordinal)..]);
        Assert.Equal("memory plan", layers[0][^1]);
        Assert.Equal(["", "", "epilogue of #1", "spill 20,480 B", "refill 20,480 B", ""], layers.Skip(1).Select(r => r[^1]));
    }

    [Fact]
    public void Html_MemoryPlan_WithResidentWeightsAndASplitBatch_SaysSo()
    {
        string section = MemorySection(Html(ReportFixtures.Planned(residentWeightBytes: 8704, split: new BatchSplit(8, 3, 3))));
        List<string[]> rows = Rows(section);

        Assert.Contains(["weights", "resident: 8,704 B loaded once before the first inference, not counted per run"], rows);
        Assert.Contains(["batch split", "batch 8 run as 3 sub-batches of at most 3 so that their activations fit; each sub-batch fetches the weights again"], rows);
    }

    [Fact]
    public void Html_MemoryPlan_WithoutSpills_SaysNoLayerSpills_AndHasNoSpillTable()
    {
        RunResult planned = ReportFixtures.Planned();
        RunResult run = planned with
        {
            Performance = planned.Performance with
            {
                Layers = [.. planned.Performance.Layers.Select(l => l with { Dram = l.Dram with { SpillWriteBytes = 0, RefillReadBytes = 0 }, Occupancy = l.Occupancy with { Spilled = [] } })],
            },
        };
        string section = MemorySection(Html(run));

        Assert.Contains("No layer spills or refills.", section, StringComparison.Ordinal);
        Assert.DoesNotContain("<table id=\"spills\">", section, StringComparison.Ordinal);
        Assert.Contains(["total", "11,776", "64", ""], Rows(section));
    }

    [Fact]
    public void Html_WithoutAMemoryPlan_HasNoMemorySection()
    {
        string html = Html(ReportFixtures.Run(ReportFixtures.Layer("a")));

        Assert.DoesNotContain("Memory plan", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Charts</h2>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_APlannedRun_WritesTheMemoryChartFiles_WithTheTitleAndTheSpillLabels()
    {
        string dir = Path.Combine(Recipe.OutputFolder, "report-" + Path.GetRandomFileName());
        var written = RunReportFiles.Write(Report(ReportFixtures.Planned()), dir);

        Assert.Equal(
            ["report.json", "layers.csv", "latency.png", "latency.svg", "utilization.png", "utilization.svg", "roofline.png", "roofline.svg", "memory.png", "memory.svg", "report.html"],
            written.Select(Path.GetFileName));
        Assert.True(new FileInfo(Path.Combine(dir, "memory.png")).Length > 1000);
        string svg = File.ReadAllText(Path.Combine(dir, "memory.svg"));
        Assert.Contains("On-chip memory occupancy per layer", svg, StringComparison.Ordinal);
        Assert.Contains("spill 20 KiB", svg, StringComparison.Ordinal);
        Assert.Contains("refill 20 KiB", svg, StringComparison.Ordinal);
        string section = MemorySection(File.ReadAllText(Path.Combine(dir, RunReportFiles.HtmlFileName)));
        Assert.Contains("On-chip memory occupancy per layer", section, StringComparison.Ordinal);
        ReportSchema.AssertValid(written[0]);
    }

    [Fact]
    public void Write_APlannedRunWithoutSpills_DrawsNoSpillMarks()
    {
        string dir = Path.Combine(Recipe.OutputFolder, "report-" + Path.GetRandomFileName());
        RunResult planned = ReportFixtures.Planned();
        RunResult run = planned with
        {
            Performance = planned.Performance with { Layers = [.. planned.Performance.Layers.Select(l => l with { Dram = l.Dram with { SpillWriteBytes = 0, RefillReadBytes = 0 } })] },
        };
        RunReportFiles.Render(Report(run), dir);

        string svg = File.ReadAllText(Path.Combine(dir, "memory.svg"));
        Assert.Contains("On-chip memory occupancy per layer", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("spill", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("refill", svg, StringComparison.Ordinal);
    }

    private static RunReport Report(RunResult run) => new()
    {
        ToolVersion = "t",
        ConfigPath = "c.yaml",
        ConfigSha256 = "00",
        ModelPath = "m.onnx",
        ModelSha256 = "11",
        Result = run,
    };

    /// <summary>report.html of <paramref name="run"/>, with a stand-in for the memory chart (the file tests draw the real one).</summary>
    private static string Html(RunResult run)
    {
        var writer = new StringWriter();
        RenderedChart[] charts = MemoryOccupancyChart.Applies(run) ? [new RenderedChart("memory", MemoryOccupancyChart.Title, "<svg></svg>")] : [];
        HtmlReport.Write(Report(run), charts, writer);
        return writer.ToString();
    }

    /// <summary>From the memory-plan heading to the next h2.</summary>
    private static string MemorySection(string html)
    {
        int start = html.IndexOf("<h2 id=\"memory-plan\">Memory plan</h2>", StringComparison.Ordinal);
        Assert.True(start >= 0, "no memory-plan section");
        int end = html.IndexOf("<h2>", start + 1, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>Every table row in <paramref name="html"/>, as decoded cell texts.</summary>
    private static List<string[]> Rows(string html) =>
        [.. RowPattern().Matches(html).Select(r => CellPattern().Matches(r.Groups[1].Value).Select(c => Text(c.Groups[1].Value)).ToArray())];

    private static string Text(string html) => WebUtility.HtmlDecode(TagPattern().Replace(html, ""));

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
