using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config;
using SiliconSim.Config.Energy;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `siliconsim sweep`'s thermal columns: equal to a thermal simulation driven directly (trace built here, not through
/// the sweep's code) for the same config, a hot package throttles where a cool one does not, and the thermal duration
/// is part of what a stored point means.
/// </summary>
public sealed class SweepThermalTests : IDisposable
{
    // Three convolutions, a small SCALE-Sim topology so the sweep needs no functional run. On edge-npu it draws about
    // 0.3 W dynamic: 600 s (the default duration) at 88 degC ambient heats the junction past throttle_c (95), 25 does not.
    private const string Topology = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
        + "conv1, 58, 58, 3, 3, 64, 64, 1,\nconv2, 30, 30, 3, 3, 64, 128, 2,\nconv3, 16, 16, 3, 3, 128, 256, 2,\n";

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spec(string body) => _dir.File("sweep.yaml", System.Text.Encoding.UTF8.GetBytes(body));

    private string TopologyFile() => _dir.File("small.csv", System.Text.Encoding.UTF8.GetBytes(Topology));

    private (int Exit, string Stdout, string Stderr) Sweep(string spec, string outDir)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = SweepCommand.Execute(new SweepOptions(spec, outDir, 2), stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static List<Dictionary<string, string>> Rows(string outDir)
    {
        string[] lines = File.ReadAllText(Path.Combine(outDir, "results.csv")).TrimEnd('\n').Split('\n');
        string[] header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(Fields(l)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    // results.csv quotes fields with commas (a dropped point's reason).
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private static double? Cell(Dictionary<string, string> row, string column) =>
        row[column].Length == 0 ? null : double.Parse(row[column], CultureInfo.InvariantCulture);

    [Fact]
    public void ThermalColumns_EqualADirectThermalRun_AndOnlyTheHotPackageThrottles()
    {
        string csv = TopologyFile();
        string outDir = Path.Combine(_dir.Path, "out");
        var run = Sweep(Spec($"base: edge-npu\nmodels: ['{csv}']\naxes:\n  thermal.ambient_c: [25, 88]\n"), outDir);
        Assert.True(run.Exit == 0, run.Stderr);

        var rows = Rows(outDir);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r["status"] == "ok", r["reason"]));
        ImmutableArray<LayerWork> layers = [.. ScaleSimTopologyReader.Parse(Topology, "small.csv").Cast<LayerWork>()];
        AcceleratorSpec preset = PresetCatalog.Load("edge-npu").SpecOrThrow();
        foreach (var row in rows)
        {
            double ambient = double.Parse(row["thermal.ambient_c"], CultureInfo.InvariantCulture);
            AcceleratorSpec spec = preset with { Thermal = preset.Thermal! with { AmbientC = ambient } };
            var result = PerformanceModel.Evaluate(spec, layers, "small", 1).Result!;
            EnergyReport energy = EnergyAccounting.Evaluate(result, spec, EnergyTableLoader.Load(spec.EnergyTable).Table!);
            var trace = InferencePowerTrace.FromLayers(
                result.Layers.Zip(energy.Layers, (l, e) => new LayerActivity(l.Name, l.TotalCycles, e.Energy.OnDieJ - e.Energy.LeakageJ)), result.ClockMhz);
            ThermalRunResult expected = ThermalSimulation.Run(spec, energy.Leakage!.Model, trace, new ThermalRunOptions { DurationS = 600 });

            Assert.Equal(expected.PeakJunctionC, Cell(row, "peak_junction_c"));
            Assert.Equal(expected.NominalSteadyState.Converged ? expected.NominalSteadyState.JunctionC : null, Cell(row, "steady_state_c"));
            Assert.Equal(expected.TimeToFirstThrottleS, Cell(row, "time_to_first_throttle_s"));
            Assert.Equal(expected.TimeToFirstThrottleS is null ? 0 : 1, Cell(row, "throttled"));
            Assert.Equal(expected.SustainedInferencesPerSecond, Cell(row, "sustained_inferences_per_s"));
        }

        var cool = rows.Single(r => r["thermal.ambient_c"] == "25");
        var hot = rows.Single(r => r["thermal.ambient_c"] == "88");
        Assert.Equal(0, Cell(cool, "throttled"));
        Assert.Null(Cell(cool, "time_to_first_throttle_s"));
        Assert.Equal(1, Cell(hot, "throttled"));
        Assert.NotNull(Cell(hot, "time_to_first_throttle_s"));
        Assert.True(Cell(hot, "peak_junction_c") >= 95, $"hot peak {Show(hot)}");
        Assert.True(Cell(hot, "sustained_inferences_per_s") < Cell(cool, "sustained_inferences_per_s"), $"hot {Show(hot)}, cool {Show(cool)}");

        static string Show(Dictionary<string, string> r) => string.Join(',', r.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void ThermalSecondsZero_LeavesTheThermalCellsEmpty_AndAChangedDurationRerunsEveryPoint()
    {
        string csv = TopologyFile();
        string outDir = Path.Combine(_dir.Path, "out");
        string Body(string seconds) => $"base: edge-npu\nmodels: ['{csv}']\nthermal_seconds: {seconds}\naxes:\n  array.rows: [16, 32]\n";

        var off = Sweep(Spec(Body("0")), outDir);
        Assert.True(off.Exit == 0, off.Stderr);
        Assert.All(Rows(outDir), r => Assert.True(r["peak_junction_c"].Length == 0 && r["throttled"].Length == 0 && r["latency_s"].Length > 0, string.Join(',', r.Values)));

        // Stored points without thermal metrics must not be reused once the sweep computes them.
        var on = Sweep(Spec(Body("30")), outDir);
        Assert.Contains("0 already stored, 2 to run", on.Stdout, StringComparison.Ordinal);
        Assert.All(Rows(outDir), r => Assert.True(Cell(r, "peak_junction_c") > 25, string.Join(',', r.Values)));
        var again = Sweep(Spec(Body("30")), outDir);
        Assert.Contains("2 already stored, 0 to run", again.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("soon")]
    public void BadThermalSeconds_IsAnErrorAtItsLocation_ExitTwo(string value)
    {
        string spec = Spec($"base: edge-npu\nmodels: ['{TopologyFile()}']\nthermal_seconds: {value}\naxes:\n  array.rows: [16, 32]\n");
        var run = Sweep(spec, Path.Combine(_dir.Path, "out"));
        Assert.Equal(2, run.Exit);
        Assert.Contains($"{spec}:3:18: thermal_seconds: must be a number of seconds", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedTopology_IsAnErrorAtFileLine_ExitTwo()
    {
        string csv = _dir.File("bad.csv", System.Text.Encoding.UTF8.GetBytes("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1, 224, 224, 7, seven, 3, 64, 2,\n"));
        var run = Sweep(Spec($"base: edge-npu\nmodels: ['{csv}']\naxes:\n  array.rows: [16, 32]\n"), Path.Combine(_dir.Path, "out"));
        Assert.Equal(2, run.Exit);
        Assert.Contains($"{csv}:2:", run.Stderr, StringComparison.Ordinal);
    }
}
