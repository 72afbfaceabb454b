using System.Globalization;
using System.Text;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Reporting.Charts;
using Xunit.Abstractions;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `search:` in a sweep: NSGA-II's front on a grid small enough to enumerate against the exhaustive front (by
/// hypervolume, computed here independently of the code under test), and a search is resumable and shardable with the
/// same bytes as a local run.
/// </summary>
public sealed class SweepSearchTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// 7 x 7 x 7 buffer sizes (8 to 512 KiB, ifmap, weights, ofmap) x 3 dataflows x 3 DRAM bandwidths = 3,087 points of
    /// the one-layer AlexNet conv1 topology (a SCALE-Sim CSV: timing only, no functional run). Bigger buffers refetch
    /// less from DRAM (faster) but cost more per SRAM read (Horowitz's table: 10 pJ at 8 KiB, 100 pJ at 1 MiB), so the
    /// front is a real trade-off (4 points), unlike array-size axes, where the biggest array wins both objectives.
    /// </summary>
    private const string Axes = """
        axes:
          memory.buffers[0].capacity_kib: {start: 8, stop: 512, factor: 2}
          memory.buffers[1].capacity_kib: {start: 8, stop: 512, factor: 2}
          memory.buffers[2].capacity_kib: {start: 8, stop: 512, factor: 2}
          array.dataflow: [os, ws, is]
          memory.dram.bandwidth_gbps: [3.2, 6.4, 12.8]
        thermal_seconds: 0

        """;

    private const int GridPoints = 3087;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spec(string name, string search)
    {
        string model = Path.Combine(RepositoryFolder.Root, "workloads", "scalesim", "alexnet_part.csv");
        return _dir.File(name, Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: ['{model}']\n{Axes}{search}"));
    }

    private static int Sweep(string spec, string outDir, SweepShard? shard = null, int jobs = 2, Action<Config.Sweeps.SweepPoint>? after = null, CancellationToken cancel = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        return SweepCommand.Execute(new SweepOptions(spec, outDir, jobs) { Shard = shard }, stdout, stderr, cancel, after);
    }

    /// <summary>(latency_s, energy_j) of every ok row of a results.csv.</summary>
    private static List<(double Latency, double Energy)> Measured(string outDir)
    {
        string[] lines = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        string[] header = lines[0].Split(',');
        int status = Array.IndexOf(header, "status");
        int latency = Array.IndexOf(header, "latency_s");
        int energy = Array.IndexOf(header, "energy_j");
        return [.. lines.Skip(1).Select(l => l.Split(',')).Where(c => c[status] == "ok")
            .Select(c => (double.Parse(c[latency], CultureInfo.InvariantCulture), double.Parse(c[energy], CultureInfo.InvariantCulture)))];
    }

    /// <summary>The non-dominated points (both minimized), sorted by latency.</summary>
    private static List<(double Latency, double Energy)> Front(IEnumerable<(double Latency, double Energy)> points)
    {
        var front = new List<(double, double)>();
        double best = double.PositiveInfinity;
        foreach (var p in points.Distinct().OrderBy(p => p.Latency).ThenBy(p => p.Energy))
        {
            if (p.Energy < best)
            {
                front.Add(p);
                best = p.Energy;
            }
        }

        return front;
    }

    /// <summary>The area a 2-D front dominates up to <paramref name="reference"/> (a sum of rectangles in latency order).</summary>
    private static double Hypervolume(List<(double Latency, double Energy)> front, (double Latency, double Energy) reference)
    {
        double area = 0;
        double ceiling = reference.Energy;
        foreach (var (latency, energy) in front.Where(p => p.Latency < reference.Latency && p.Energy < reference.Energy))
        {
            area += (reference.Latency - latency) * (ceiling - energy);
            ceiling = energy;
        }

        return area;
    }

    [Fact]
    public void Nsga2_ReachesTheExhaustiveFrontsHypervolumeWithinOnePercent_WithTenPercentOfTheEvaluations()
    {
        string grid = Path.Combine(_dir.Path, "grid");
        Assert.Equal(0, Sweep(Spec("grid.yaml", string.Empty), grid));
        var all = Measured(grid);
        Assert.Equal(GridPoints, all.Count);
        var exhaustive = Front(all);

        // The reference point sits 10 % of the exhaustive front's range beyond its nadir (worst corner), a usual choice
        // (Ishibuchi et al., "How to specify a reference point in hypervolume calculation", EMO 2018): far enough that
        // the front's extremes count, near enough that dominated bulk far from the front does not swamp the ratio.
        double lo0 = exhaustive.Min(p => p.Latency), hi0 = exhaustive.Max(p => p.Latency);
        double lo1 = exhaustive.Min(p => p.Energy), hi1 = exhaustive.Max(p => p.Energy);
        var reference = (hi0 + (0.1 * (hi0 - lo0)), hi1 + (0.1 * (hi1 - lo1)));
        double full = Hypervolume(exhaustive, reference);
        Assert.True(exhaustive.Count >= 3 && full > 0, "the grid must have a trade-off for the comparison to mean anything");

        string searched = Path.Combine(_dir.Path, "nsga2");
        Assert.Equal(0, Sweep(Spec("nsga2.yaml", "search: nsga2\nseed: 1\nbudget: 300\npopulation: 24\n"), searched));
        var evaluated = Measured(searched);
        double ratio = Hypervolume(Front(evaluated), reference) / full;
        output.WriteLine($"exhaustive: {all.Count} points, front {exhaustive.Count}; nsga2: {evaluated.Count} evaluated, front {Front(evaluated).Count}, hypervolume ratio {ratio:F4}");
        Assert.True(evaluated.Count <= GridPoints / 10, $"{evaluated.Count} evaluations");
        Assert.InRange(ratio, 0.99, 1.0 + 1e-12);

        if (Environment.GetEnvironmentVariable("SILICONSIM_UPDATE_DOCS") == "1")
        {
            WriteDocs(grid, all, exhaustive, reference, full);
        }
    }

    /// <summary>The README's chart and numbers: NSGA-II's, random's and the Latin hypercube's fronts under the same budget.</summary>
    private void WriteDocs(string grid, List<(double, double)> all, List<(double Latency, double Energy)> exhaustive, (double, double) reference, double full)
    {
        foreach (string method in new[] { "nsga2", "random", "latin_hypercube" })
        {
            for (int seed = 1; seed <= 4; seed++)
            {
                string dir = Path.Combine(_dir.Path, $"{method}-{seed}");
                Sweep(Spec($"{method}-{seed}.yaml", $"search: {method}\nseed: {seed}\nbudget: 300\n"), dir);
                var found = Measured(dir);
                output.WriteLine($"{method} seed {seed}: {found.Count} evaluated, front {Front(found).Count}, hypervolume ratio {Hypervolume(Front(found), reference) / full:F4}");
                if (method == "nsga2" && seed == 1)
                {
                    SearchComparisonChart.Build(all, found, "NSGA-II").SavePng(Path.Combine(RepositoryFolder.Root, "docs", "images", "search-nsga2-vs-grid.png"), ChartStyle.Width, ChartStyle.Height);
                }
            }
        }

        output.WriteLine("exhaustive front: " + string.Join("; ", exhaustive.Select(p => $"{p.Latency * 1e6:F3} us {p.Energy * 1e6:F3} uJ")));
        output.WriteLine(File.ReadAllText(Path.Combine(grid, "pareto.csv")));
    }

    [Fact]
    public void ASearch_RunAsThreeConcurrentShardsThenMerged_EqualsALocalRun_AndResumesAfterCancellation()
    {
        const string Search = "search: nsga2\nseed: 7\nbudget: 40\npopulation: 10\n";
        string spec = Spec("small.yaml", Search);
        string local = Path.Combine(_dir.Path, "local", "search");
        Assert.Equal(0, Sweep(spec, local));
        Assert.Equal(40, Measured(local).Count);

        // The shards wait for one another at each generation's end (the next generation follows from its outcomes).
        string sharded = Path.Combine(_dir.Path, "sharded", "search");
        int[] exits = [-1, -1, -1];
        var shards = Enumerable.Range(0, 3).Select(i => new Thread(() => exits[i] = Sweep(spec, sharded, new SweepShard(i, 3), jobs: 1))).ToList();
        shards.ForEach(t => t.Start());
        Assert.All(shards, t => Assert.True(t.Join(TimeSpan.FromMinutes(3)), "a shard did not finish"));
        Assert.Equal([0, 0, 0], exits);
        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            Assert.Equal(0, SweepMergeCommand.Execute(sharded, stdout, stderr));
        }

        // Cancelled after 13 points (inside the second generation), then rerun.
        string resumed = Path.Combine(_dir.Path, "resumed", "search");
        using var cancel = new CancellationTokenSource();
        int done = 0;
        Assert.Equal(SweepCommand.Interrupted, Sweep(spec, resumed, jobs: 1, after: _ =>
        {
            if (Interlocked.Increment(ref done) == 13)
            {
                cancel.Cancel();
            }
        }, cancel: cancel.Token));
        Assert.Equal(0, Sweep(spec, resumed));

        foreach (string table in new[] { "results.csv", "pareto.csv", "report.html" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(sharded, table)));
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(resumed, table)));
        }
    }

    [Theory]
    [InlineData("search: nsga2\n", "budget: a search needs budget")]
    [InlineData("search: annealing\nbudget: 10\n", "search: must be random, latin_hypercube or nsga2, got 'annealing'")]
    [InlineData("budget: 10\n", "budget: only a search has this setting")]
    [InlineData("search: random\nbudget: 10\nobjectives: [latency_s]\n", "objectives: must list two metric columns")]
    [InlineData("search: random\nbudget: 10\nobjectives: [latency_s, area_mm2]\n", "objectives: 'area_mm2' is not a metric column")]
    [InlineData("search: random\nbudget: 20000\n", "budget: 20000 is more than max_points 10000")]
    public void BadSearchSettings_ExitTwoNamingTheField(string search, string message)
    {
        var (exit, _, err) = CliRunner.Run("sweep", Spec("bad.yaml", search), "--out", Path.Combine(_dir.Path, "never"));
        Assert.Equal(2, exit);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:", err, StringComparison.Ordinal);
    }
}
