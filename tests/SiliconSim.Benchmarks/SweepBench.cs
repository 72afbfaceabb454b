using System.Diagnostics;
using System.Globalization;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Benchmarks;

/// <summary>
/// `--sweeps`: the sweep targets, timed end to end as <c>siliconsim sweep</c> does them (models prepared,
/// every point evaluated on all cores, tables written) into fresh folders: configs/sweeps/bench-digits-1200.yaml
/// (target: 1,000 points under 60 s on 2 cores) and bench-resnet18-100.yaml. Each runs first with thermal_seconds 0
/// as the same-run baseline, then as written (thermal on), so the ratio is what the thermal columns cost.
/// </summary>
internal static class SweepBench
{
    public static void Run(TextWriter output)
    {
        string folder = Path.Combine(ScaleSimWorkloads.Folder, "..", "..", "configs", "sweeps");
        foreach (string name in (string[])["bench-digits-1200.yaml", "bench-resnet18-100.yaml"])
        {
            SweepDefinition sweep = SweepLoader.LoadFile(Path.Combine(folder, name)).Definition
                ?? throw new InvalidOperationException($"{name} does not load");
            var (baseS, basePoints) = Time(sweep with { ThermalSeconds = 0 });
            var (thermalS, points) = Time(sweep);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {points} points in {thermalS:F2} s = {points / thermalS:F1} points/s with {sweep.ThermalSeconds:0} s of thermal; without thermal {basePoints} points in {baseS:F2} s = {basePoints / baseS:F1} points/s (thermal costs x{thermalS / baseS:F2})"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} processors"));
    }

    private static (double Seconds, int Points) Time(SweepDefinition sweep)
    {
        string outDir = Path.Combine(Path.GetTempPath(), "siliconsim-sweep-bench", Path.GetRandomFileName());
        try
        {
            long start = Stopwatch.GetTimestamp();
            var runner = new SweepRunner(sweep, outDir, "bench");
            runner.LoadModels();
            var points = runner.NextGeneration([]);
            runner.PrepareModels(points);
            var pending = runner.Pending(points);
            runner.Run(pending, Environment.ProcessorCount, CancellationToken.None);
            int stored = runner.WriteTables(points);
            return (Stopwatch.GetElapsedTime(start).TotalSeconds, stored);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
