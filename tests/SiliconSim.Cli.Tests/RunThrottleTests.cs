using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `run --set thermal.ambient_c=85`: the edge-NPU preset at the top of the industrial / AEC-Q100 grade 3 ambient range
/// throttles under back-to-back inference, while the same package at its default 45 °C does not. The bounds come from
/// the preset (its clock and DVFS steps), not from the program's output.
/// </summary>
public sealed partial class RunThrottleTests
{
    // configs/presets/edge-npu.yaml: clock_mhz 1000, DVFS steps 1000, 800, 600, 400 MHz.
    private const double NominalMhz = 1000, FirstStepMhz = 800, SlowestMhz = 400, Seconds = 1800;

    [Fact]
    public void HotAmbient_Throttles_AndSustainsLessThanTheUnthrottledRate()
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "hot");
        var (exit, stdout, stderr) = CliRunner.Run("run", "--set", "thermal.ambient_c=85", "--thermal-seconds", "1800", "--out", outDir);

        Assert.True(exit == 0, stderr);
        double unthrottled = Number(TotalRate().Match(stdout));
        Match first = FirstThrottle().Match(stdout);
        Assert.True(first.Success, stdout);
        Assert.InRange(Number(first), 0, Seconds);
        double sustained = Number(Sustained().Match(stdout));
        Assert.True(sustained < unthrottled, $"sustained {sustained} should be below the unthrottled {unthrottled}");

        // No DVFS step is slower than the slowest one, so the rate cannot fall below its share of the nominal clock.
        Assert.True(sustained >= unthrottled * SlowestMhz / NominalMhz * 0.999, $"sustained {sustained} below the slowest step's rate");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"DVFS: {NominalMhz} -> {FirstStepMhz} MHz at {Number(first):0.##} s"), stdout, StringComparison.Ordinal);
        Assert.Contains("config overrides: thermal.ambient_c=85", stdout, StringComparison.Ordinal);

        ReportSchema.AssertValid(Path.Combine(outDir, "report.json"));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "report.json")));
        JsonElement root = report.RootElement;
        Assert.Equal(["thermal.ambient_c=85"], root.GetProperty("config").GetProperty("overrides").EnumerateArray().Select(e => e.GetString()));
        JsonElement result = root.GetProperty("result");
        Assert.NotEqual(0, result.GetProperty("thermal_summary").GetProperty("throttle_events").GetArrayLength());
        Assert.Equal(Number(first), result.GetProperty("thermal_summary").GetProperty("time_to_first_throttle_s").GetDouble(), 3);
        Assert.Equal(85, result.GetProperty("thermal").GetProperty("samples")[0].GetProperty("junction_c").GetDouble());
        Assert.True(File.Exists(Path.Combine(outDir, "thermal.png")));
    }

    [Fact]
    public void DefaultAmbient_DoesNotThrottle()
    {
        using var dir = new TempFolder();
        var (exit, stdout, stderr) = CliRunner.Run("run", "--out", Path.Combine(dir.Path, "default"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("no throttling", stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(FirstThrottle(), stdout);
        Assert.DoesNotContain("DVFS:", stdout, StringComparison.Ordinal);
        double unthrottled = Number(TotalRate().Match(stdout));
        Assert.Equal(1, Number(Sustained().Match(stdout)) / unthrottled, 3);
    }

    private static double Number(Match m)
    {
        Assert.True(m.Success, "pattern not found in the run's output");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^total: .* ([0-9.]+) inferences/s,", RegexOptions.Multiline)]
    private static partial Regex TotalRate();

    [GeneratedRegex(@"first throttle at ([0-9.]+) s")]
    private static partial Regex FirstThrottle();

    [GeneratedRegex(@"sustained ([0-9.]+) inferences/s")]
    private static partial Regex Sustained();
}
