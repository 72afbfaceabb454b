namespace SiliconSim.Cli.Tests;

/// <summary>`run` renders its charts and report.html; `report DIR` re-renders them from report.json alone.</summary>
public sealed class ReportCommandTests
{
    // The demo runs under the network memory plan, and its config has an energy table and a thermal section, so its run
    // draws all seven charts.
    private static readonly string[] s_charts = ["latency", "utilization", "roofline", "memory", "energy_layers", "energy_inference", "thermal"];

    [Fact]
    public void RunOnTheDemo_WritesReportHtmlWithTheCharts_AndReportReRendersIt()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("run", "--out", dir.Path);
        Assert.True(exit == 0, stderr);
        string html = Path.Combine(dir.Path, "report.html");
        AssertReport(html);

        File.Delete(html);
        foreach (string c in s_charts)
        {
            File.Delete(Path.Combine(dir.Path, c + ".png"));
        }

        (exit, string stdout, stderr) = CliRunner.Run("report", dir.Path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("report.html", stdout, StringComparison.Ordinal);
        AssertReport(html);
    }

    [Fact]
    public void Report_MissingReportJson_IsBadInput()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("report.json: no such file", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"schema\":\"other/1\"}", "schema is 'other/1'")]
    public void Report_MalformedReportJson_IsBadInputNamingTheProblem(string json, string expected)
    {
        using var dir = new TempFolder();
        dir.File("report.json", System.Text.Encoding.UTF8.GetBytes(json));
        var (exit, _, stderr) = CliRunner.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static void AssertReport(string html)
    {
        string text = File.ReadAllText(html);
        foreach (string c in s_charts)
        {
            Assert.Contains($"<figure id=\"{c}\">", text, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(html)!, c + ".png")), c);
        }

        Assert.Equal(s_charts.Length, text.Split("<svg").Length - 1);
    }
}
