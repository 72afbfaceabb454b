namespace SiliconSim.Reporting.Tests;

public sealed class RunReportFilesTests
{
    private static readonly string[] s_charts = ["latency", "utilization", "roofline", "energy_layers", "energy_inference", "thermal"];

    [Fact]
    public void Write_WritesJsonCsvEveryChartAndSelfContainedHtml_WithEscapedNames()
    {
        string dir = NewFolder();
        RunReport report = ReportFixtures.Seeded(4);

        var written = RunReportFiles.Write(report, dir);

        string[] expected =
        [
            "report.json", "layers.csv", .. s_charts.SelectMany(c => new[] { c + ".png", c + ".svg" }), "report.html",
        ];
        Assert.Equal(expected, written.Select(Path.GetFileName));
        Assert.All(written, p => Assert.True(File.Exists(p), p));
        ReportSchema.AssertValid(written[0]);
        string html = File.ReadAllText(Path.Combine(dir, RunReportFiles.HtmlFileName));
        Assert.Equal(s_charts.Length, CountOf(html, "<svg"));
        Assert.All(s_charts, c => Assert.Contains($"<figure id=\"{c}\">", html, StringComparison.Ordinal));
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;", html, StringComparison.Ordinal);
        Assert.Contains("edge &amp; co", html, StringComparison.Ordinal);
        Assert.Contains("siliconsim.run/2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);

        // The charts' SVGs share one document: an id two of them define would clip every later chart by the first's.
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count > s_charts.Length, "the charts define clip-path ids");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Render_WithoutEnergyLayersOrThermal_DrawsTheThreePerformanceCharts()
    {
        string dir = NewFolder();
        RunReport report = ReportFixtures.Seeded(2);
        report = report with { Result = ReportFixtures.Run(report.Result.Performance) };

        var written = RunReportFiles.Render(report, dir);

        Assert.Equal(["latency.png", "latency.svg", "utilization.png", "utilization.svg", "roofline.png", "roofline.svg", "report.html"], written.Select(Path.GetFileName));
        RunReportFiles.Write(report, dir);
        ReportSchema.AssertValid(Path.Combine(dir, RunReportFiles.JsonFileName));
    }

    [Fact]
    public void ReadV1_ThenRender_DrawsEveryChartTheV1RunDrew()
    {
        string dir = NewFolder();
        var written = RunReportFiles.Render(RunReportFiles.Read(ReportFixtures.V1Report), dir);

        Assert.Equal([.. s_charts.SelectMany(c => new[] { c + ".png", c + ".svg" }), "report.html"], written.Select(Path.GetFileName));
    }

    [Fact]
    public void ReadV1_ThenWrite_GivesAValidV2Report()
    {
        string dir = NewFolder();
        RunReportFiles.Write(RunReportFiles.Read(ReportFixtures.V1Report), dir);

        ReportSchema.AssertValid(Path.Combine(dir, RunReportFiles.JsonFileName));
        Assert.Equal("siliconsim.run/2", RunReportFiles.SchemaId);
    }

    private static string NewFolder() => Path.Combine(Recipe.OutputFolder, "report-" + Path.GetRandomFileName());

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
