using SiliconSim.Reporting.Charts;
using SiliconSim.Reporting.Json;

namespace SiliconSim.Reporting.Tests;

public sealed class ReportBuilderTests
{
    [Fact]
    public void Render_WritesSelfContainedHtml_WithEveryChartInline_AndEscapedNames()
    {
        string dir = Path.Combine(Recipe.OutputFolder, "report-" + Path.GetRandomFileName());
        RunReport report = ReportFixtures.Seeded(4);
        var energy = new EnergyBreakdown(["MAC", "DRAM"], [.. report.Result.Layers.Select(l => new LayerEnergy(l.Name, [1e3, 2e3]))]);
        var thermal = new ThermalTrace([0, 1e-3], [1, 2], [40, 41], 85, []);

        var charts = ReportBuilder.Render(report, dir, new ReportExtras { Energy = energy, Thermal = thermal });

        Assert.Equal(["latency", "utilization", "roofline", "energy_layers", "energy_inference", "thermal"], charts.Select(c => c.FileStem));
        string html = File.ReadAllText(Path.Combine(dir, ReportBuilder.HtmlFileName));
        Assert.Equal(charts.Count, CountOf(html, "<svg"));
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;", html, StringComparison.Ordinal);
        Assert.Contains("edge &amp; co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        foreach (RenderedChart c in charts)
        {
            Assert.True(File.Exists(Path.Combine(dir, c.FileStem + ".png")));
            Assert.True(File.Exists(Path.Combine(dir, c.FileStem + ".svg")));
        }
    }

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
