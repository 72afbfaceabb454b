using System.Diagnostics;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Sweeps;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `siliconsim sweep`: results.csv is the same whatever the worker count and however often the sweep was interrupted
/// (cancelled in-process, or the process killed) and resumed.
/// </summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spec(string axes)
    {
        string model = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        return _dir.File("sweep.yaml", System.Text.Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: ['{model}']\naxes:\n{axes}constraints:\n  - total_sram_kib <= 512\n"));
    }

    private const string SmallAxes = "  array.rows: [8, 16, 32]\n  array.dataflow: [os, ws, is]\n  memory.buffers[0].capacity_kib: [32, 128, 512]\n";

    private (int Exit, string Results) Sweep(string spec, string outDir, int jobs, Action<Config.Sweeps.SweepPoint>? after = null, CancellationToken cancel = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = SweepCommand.Execute(new SweepOptions(spec, outDir, jobs), stdout, stderr, cancel, after);
        return (exit, File.ReadAllText(Path.Combine(outDir, "results.csv")));
    }

    [Fact]
    public void Jobs1AndJobs4_WriteByteIdenticalResults()
    {
        string spec = Spec(SmallAxes);
        var one = Sweep(spec, Path.Combine(_dir.Path, "a"), 1);
        var four = Sweep(spec, Path.Combine(_dir.Path, "b"), 4);
        Assert.Equal(0, one.Exit);
        Assert.Equal(one.Results, four.Results);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir.Path, "a", "pareto.csv")), File.ReadAllText(Path.Combine(_dir.Path, "b", "pareto.csv")));

        // 27 combinations; ifmap 512 KiB + 192 KiB of other buffers breaks the 512 KiB cap for 9 of them.
        string[] lines = one.Results.TrimEnd('\n').Split('\n');
        Assert.Equal(28, lines.Length);
        Assert.Equal(9, lines.Count(l => l.Contains(",dropped,constraint total_sram_kib <= 512", StringComparison.Ordinal)));
        Assert.Equal(18, lines.Count(l => l.Contains(",ok,", StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryRunPoint_HasItsEnergyPerInference_AndTheParetoFrontIsLatencyAgainstEnergy()
    {
        string spec = Spec("  array.rows: [8, 32]\n  memory.dram.bandwidth_gbps: [1.6, 12.8]\n");
        var run = Sweep(spec, Path.Combine(_dir.Path, "e"), 2);
        Assert.Equal(0, run.Exit);
        string[] lines = run.Results.TrimEnd('\n').Split('\n');
        int energy = Array.IndexOf(lines[0].Split(','), "energy_j");
        int dram = Array.IndexOf(lines[0].Split(','), "energy_dram_j");
        Assert.True(energy >= 0 && dram >= 0, lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(double.Parse(r[energy], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join(',', r)));

        // The DRAM energy counts bits moved, not time: the bandwidth axis must leave it unchanged at equal array size.
        var byRows = rows.GroupBy(r => r[1]).ToList();
        Assert.All(byRows, g => Assert.Single(g.Select(r => r[dram]).Distinct()));
        Assert.Contains("energy_j", File.ReadAllText(Path.Combine(_dir.Path, "e", "pareto.csv")), StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_dir.Path, "e", "pareto.png")).Length > 0);

        // report.html: the front's rows as pareto.csv has them, every point, and the chart inline.
        string html = File.ReadAllText(Path.Combine(_dir.Path, "e", "report.html"));
        string[] front = File.ReadAllLines(Path.Combine(_dir.Path, "e", "pareto.csv"));
        Assert.All(front.Skip(1), line => Assert.Contains(string.Concat(line.Split(',').Skip(1).Select(f => $"<td class=\"n\">{f}</td>")), html, StringComparison.Ordinal));
        Assert.Contains("4 ok of 4", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void CancelledThenResumed_MatchesAnUninterruptedRun()
    {
        string spec = Spec(SmallAxes);
        var whole = Sweep(spec, Path.Combine(_dir.Path, "whole"), 2);

        string outDir = Path.Combine(_dir.Path, "resumed");
        using var cancel = new CancellationTokenSource();
        int done = 0;
        var first = Sweep(spec, outDir, 1, _ =>
        {
            if (Interlocked.Increment(ref done) == 5)
            {
                cancel.Cancel();
            }
        }, cancel.Token);
        Assert.Equal(SweepCommand.Interrupted, first.Exit);
        Assert.Contains(",pending,", first.Results, StringComparison.Ordinal);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(outDir, "points"), "*.json").Length);

        int rerun = 0;
        var second = Sweep(spec, outDir, 2, _ => Interlocked.Increment(ref rerun));
        Assert.Equal(0, second.Exit);
        Assert.Equal(18 - 5, rerun);
        Assert.Equal(whole.Results, second.Results);
    }

    [Fact]
    public void KilledProcess_ResumesToTheSameResults()
    {
        string spec = Spec("  array.rows: {start: 4, stop: 64, step: 4}\n  array.cols: [8, 16, 32, 64]\n  array.dataflow: [os, ws, is]\n");
        string dll = typeof(CliApp).Assembly.Location;
        string outDir = Path.Combine(_dir.Path, "killed");
        using (var child = Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "sweep", spec, "--out", outDir, "--jobs", "1"]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            string points = Path.Combine(outDir, "points");
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && (!Directory.Exists(points) || Directory.GetFiles(points, "*.json").Length < 3) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(5);
            }

            child.Kill();
            child.WaitForExit();
        }

        var resumed = Sweep(spec, outDir, 2);
        var whole = Sweep(spec, Path.Combine(_dir.Path, "whole"), 2);
        Assert.Equal(0, resumed.Exit);
        Assert.Equal(whole.Results, resumed.Results);
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, "points"), "*.tmp"));
    }

    [Fact]
    public void ColorBy_ChoosesTheAxisThatColoursTheParetoPlot_AndMustNameAnAxis()
    {
        string model = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        string Spec(string colorBy) => _dir.File($"c_{colorBy}.yaml", System.Text.Encoding.UTF8.GetBytes(
            $"base: edge-npu\nmodels: ['{model}']\naxes:\n  array.rows: [8, 16]\n  memory.dram.bandwidth_gbps: [6.4, 12.8]\nthermal_seconds: 0\ncolor_by: {colorBy}\n"));

        Assert.Equal(0, Sweep(Spec("memory.dram.bandwidth_gbps"), Path.Combine(_dir.Path, "c"), 2).Exit);
        string svg = File.ReadAllText(Path.Combine(_dir.Path, "c", "pareto.svg"));
        Assert.Contains("memory.dram.bandwidth_gbps", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("array.rows", svg, StringComparison.Ordinal);

        var (exit, _, stderr) = CliRunner.Run("sweep", Spec("clock_mhz"), "--out", Path.Combine(_dir.Path, "never"));
        Assert.Equal(2, exit);
        Assert.Contains(":7:11: color_by: must name one of the axes (array.rows, memory.dram.bandwidth_gbps), got 'clock_mhz'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSpec_ExitsTwoBeforeRunning()
    {
        string spec = _dir.File("bad.yaml", "base: edge-npu\nmodels: []\naxes:\n  array.rowz: [8]\n"u8.ToArray());
        var (exit, _, stderr) = CliRunner.Run("sweep", spec, "--out", Path.Combine(_dir.Path, "never"));
        Assert.Equal(2, exit);
        Assert.Contains("bad.yaml:4:3: array.rowz: unknown config field (did you mean 'array.rows'?)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "never")));
    }
}
