using System.Diagnostics;
using System.Globalization;
using SiliconSim.Simulation;

namespace SiliconSim.Benchmarks;

/// <summary>
/// `--bench`: a quick stopwatch run of <see cref="PerformanceModelBenchmark"/>'s two paths (best of several runs after a
/// warm-up) and the process's peak working set, for when a BenchmarkDotNet run is too slow on a loaded machine.
/// </summary>
internal static class QuickBench
{
    public static void Run(TextWriter output)
    {
        foreach (int size in (int[])[32, 128])
        {
            var (layers, spec) = PerformanceModelBenchmark.Load(size);
            double fold = BestMs(() => PerformanceModelBenchmark.FoldLevelCycles(layers, spec), 20);
            double pipeline = BestMs(() => PerformanceModel.Evaluate(spec, layers, "resnet18_224", 1).Result!.TotalCycles, 5);
            long cycles = PerformanceModel.Evaluate(spec, layers, "resnet18_224", 1).Result!.TotalCycles;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ResNet-18 {size}x{size}: fold-level {fold:F3} ms, PerformanceModel {pipeline:F2} ms (x{pipeline / fold:F0}), {cycles} total cycles"));
        }

        using var process = Process.GetCurrentProcess();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MiB"));
    }

    private static double BestMs(Func<long> work, int runs)
    {
        work();
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }
}
