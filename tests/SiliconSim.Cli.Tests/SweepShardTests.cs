using System.Text;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `sweep --shard I/N` and `sweep merge DIR`: shards partition the runnable points, any mix of shards, reruns and a
/// local run stores each point once, and the merged tables are byte-identical to a single-machine run's.
/// </summary>
public sealed class SweepShardTests : IDisposable
{
    private static readonly string[] s_tables = ["results.csv", "pareto.csv", "report.html"];

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spec(string name = "sweep.yaml", string axes = "  array.rows: [8, 16, 32]\n  array.dataflow: [os, ws, is]\n  memory.buffers[0].capacity_kib: [32, 128, 512]\n")
    {
        string model = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        return _dir.File(name, Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: ['{model}']\naxes:\n{axes}constraints:\n  - total_sram_kib <= 512\nthermal_seconds: 0\n"));
    }

    private static (int Exit, string Out, string Err) Sweep(string spec, string outDir, SweepShard? shard, int jobs = 1)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = SweepCommand.Execute(new SweepOptions(spec, outDir, jobs) { Shard = shard }, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static (int Exit, string Out, string Err) Merge(string outDir)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = SweepMergeCommand.Execute(outDir, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void ThreeShardsThenMerge_AreByteIdenticalToALocalRun()
    {
        string spec = Spec();

        // Same folder name under two parents: report.html's title is the folder's name.
        string local = Path.Combine(_dir.Path, "local", "sweep");
        string sharded = Path.Combine(_dir.Path, "sharded", "sweep");
        Assert.Equal(0, Sweep(spec, local, null, jobs: 2).Exit);
        for (int i = 0; i < 3; i++)
        {
            var shard = Sweep(spec, sharded, new SweepShard(i, 3));
            Assert.Equal(0, shard.Exit);
            Assert.Contains($"shard {i}/3: 27 points (9 dropped), 6 in this shard, 0 already stored, 6 to run", shard.Out, StringComparison.Ordinal);

            // A shard leaves the tables to merge: a shard writing them could race another.
            Assert.False(File.Exists(Path.Combine(sharded, "results.csv")));
        }

        var merged = Merge(sharded);
        Assert.Equal(0, merged.Exit);
        Assert.Contains("merged 18 points", merged.Out, StringComparison.Ordinal);
        foreach (string table in s_tables)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(sharded, table)));
        }

        Assert.Equal(18, Directory.GetFiles(Path.Combine(sharded, "points"), "*.json").Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(sharded, "points"), "*.tmp"));
    }

    [Fact]
    public void Merge_ListsMissingPointsAndExitsOne_UntilAShardOrALocalRunStoresThem()
    {
        string spec = Spec();
        string local = Path.Combine(_dir.Path, "local", "sweep");
        string mixed = Path.Combine(_dir.Path, "mixed", "sweep");
        Assert.Equal(0, Sweep(spec, local, null, jobs: 2).Exit);

        // Shards 0 and 2 of 3 ran, shard 1 did not: its 6 points are missing.
        Sweep(spec, mixed, new SweepShard(0, 3));
        Sweep(spec, mixed, new SweepShard(2, 3));
        var partial = Merge(mixed);
        Assert.Equal(1, partial.Exit);
        Assert.Contains("sweep merge: 6 of 18 points missing:", partial.Err, StringComparison.Ordinal);
        var missing = new SweepShard(1, 3).Select(SweepExpander.Expand(SweepLoader.LoadFile(spec).Definition!)).ToList();
        Assert.Equal(6, missing.Count);
        Assert.All(missing, p => Assert.Contains($"  {p.Index}: array.rows={p.Values[0]}, array.dataflow={p.Values[1]}, memory.buffers[0].capacity_kib={p.Values[2]}\n", partial.Err.ReplaceLineEndings("\n"), StringComparison.Ordinal));
        Assert.Equal(6, File.ReadAllText(Path.Combine(mixed, "results.csv")).Split('\n').Count(l => l.Contains(",pending,", StringComparison.Ordinal)));

        // A rerun of shard 0 stores nothing new; a local run of the whole sweep stores only the missing 6.
        Assert.Contains("6 already stored, 0 to run", Sweep(spec, mixed, new SweepShard(0, 3)).Out, StringComparison.Ordinal);
        var rest = Sweep(spec, mixed, null, jobs: 2);
        Assert.Contains("12 already stored, 6 to run", rest.Out, StringComparison.Ordinal);
        Assert.Equal(0, Merge(mixed).Exit);
        foreach (string table in s_tables)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(mixed, table)));
        }
    }

    [Fact]
    public void AnEditedSpecRunIntoTheSameFolder_BecomesTheSweepItHolds_ReusingTheUnchangedPoints()
    {
        string outDir = Path.Combine(_dir.Path, "one");
        Assert.Equal(0, Sweep(Spec(axes: "  array.rows: [8, 16]\n"), outDir, null).Exit);
        var edited = Sweep(Spec("edited.yaml", "  array.rows: [8, 32]\n"), outDir, new SweepShard(0, 1));
        Assert.Equal(0, edited.Exit);
        Assert.Contains($"note: {outDir} recorded another spec; it now records", edited.Out, StringComparison.Ordinal);
        Assert.Contains("2 in this shard, 1 already stored, 1 to run", edited.Out, StringComparison.Ordinal);

        // The merge lists the edited sweep's points (8 and 32 rows); the 16-row point stored before is not in its tables.
        Assert.Equal(0, Merge(outDir).Exit);
        string results = File.ReadAllText(Path.Combine(outDir, "results.csv"));
        Assert.Equal(3, results.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("\n1,32,", results, StringComparison.Ordinal);
        Assert.DoesNotContain(",16,", results, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OfAFolderWithoutASweep_ExitsTwo()
    {
        var (exit, _, err) = CliRunner.Run("sweep", "merge", _dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("records no sweep (no sweep.yaml and sweep.source)", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Shards_DealEveryRunnablePointToExactlyOneShard_WithinOnePointOfEachOther(int count)
    {
        // A 16 x 4 grid whose every fourth point is dropped: dealt by plain index mod 4, one shard would get nothing.
        int[] runnable = [.. Enumerable.Range(0, 64).Where(i => i % 4 != 3)];
        var shares = Enumerable.Range(0, count).Select(i => new SweepShard(i, count).Deal(runnable).ToList()).ToList();
        Assert.Equal(runnable, shares.SelectMany(s => s).Order());
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1, string.Join(" ", shares.Select(s => s.Count)));
    }

    [Theory]
    [InlineData("0/3", 0, 3)]
    [InlineData("2/3", 2, 3)]
    [InlineData("0/1", 0, 1)]
    public void ShardText_Parses(string text, int index, int count) => Assert.Equal(new SweepShard(index, count), SweepShard.Parse(text, "--shard"));

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void BadShardText_ExitsTwoNamingTheOption(string text)
    {
        var (exit, _, err) = CliRunner.Run("sweep", Spec(), "--out", Path.Combine(_dir.Path, "never"), "--shard", text);
        Assert.Equal(2, exit);
        Assert.Contains($"--shard: must be I/N with 0 <= I < N (shard I of N, counted from 0), got '{text}'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void SlurmArrayVariables_ChooseTheShard()
    {
        static SweepShard? From(params (string Name, string Value)[] vars) => SweepShard.FromSlurm(n => vars.FirstOrDefault(v => v.Name == n).Value);
        Assert.Null(From());
        Assert.Equal(new SweepShard(2, 4), From(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "4")));

        // An array numbered 1-4: task 3 is the third shard (index 2) of four.
        Assert.Equal(new SweepShard(2, 4), From(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_MAX", "4")));
        var outside = Assert.Throws<UserInputException>(() => From(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_COUNT", "4")));
        Assert.Contains("SLURM_ARRAY_TASK_ID: 5 is outside the array (0 to 3)", outside.Lines[0], StringComparison.Ordinal);
        var noCount = Assert.Throws<UserInputException>(() => From(("SLURM_ARRAY_TASK_ID", "1")));
        Assert.Contains("SLURM_ARRAY_TASK_COUNT: is not set", noCount.Lines[0], StringComparison.Ordinal);
    }
}
