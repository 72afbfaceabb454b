using System.Diagnostics;
using System.Text;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Sweeps;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `sweep submit --slurm --dry-run`: the scripts it writes (no Slurm needed): an array of shards calling this very
/// siliconsim with absolute paths, a merge script, and on a folder with stored points only the shards still missing some.
/// </summary>
public sealed class SweepSubmitTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spec()
    {
        string model = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        return _dir.File("grid.yaml", Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: ['{model}']\naxes:\n  array.rows: [8, 16, 32]\n  array.dataflow: [os, ws]\nthermal_seconds: 0\n"));
    }

    [Fact]
    public void DryRun_WritesAnArrayOfShardsAndAMergeScript_WithAbsolutePaths()
    {
        string spec = Spec();
        string outDir = Path.Combine(_dir.Path, "out");
        var (exit, stdout, stderr) = CliRunner.Run("sweep", "submit", spec, "--slurm", "--out", outDir, "--array", "4", "--cpus-per-task", "2", "--partition", "debug", "--time", "1:00:00", "--dry-run");
        Assert.True(exit == 0, stderr);
        string array = File.ReadAllText(Path.Combine(outDir, "slurm", "sweep-array.sbatch"));
        string merge = File.ReadAllText(Path.Combine(outDir, "slurm", "merge.sbatch"));
        Assert.Contains("#SBATCH --array=0-3\n", array, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", array, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --partition=debug\n", array, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=1:00:00\n", array, StringComparison.Ordinal);
        Assert.Contains($"#SBATCH --output={outDir}/slurm/logs/task-%A_%a.log\n", array, StringComparison.Ordinal);
        Assert.Contains($"'sweep' '{spec}' '--out' '{outDir}' --shard \"${{SLURM_ARRAY_TASK_ID}}/4\" --jobs \"${{SLURM_CPUS_PER_TASK:-2}}\"\n", array, StringComparison.Ordinal);
        Assert.Contains($"'sweep' 'merge' '{outDir}'\n", merge, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --cpus-per-task=1\n", merge, StringComparison.Ordinal);

        // The program is this test's siliconsim: an absolute dotnet host and this assembly.
        string exec = array.Split('\n').Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Matches(@"^exec '/[^']*dotnet' '" + System.Text.RegularExpressions.Regex.Escape(typeof(CliApp).Assembly.Location) + "' ", exec);
        Assert.Contains($"sbatch --parsable --dependency=afterany:<array job id> {Path.Combine(outDir, "slurm", "merge.sbatch")}", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "sweep.yaml")), "the folder records its spec for merge");
        foreach (string script in new[] { "sweep-array.sbatch", "merge.sbatch" })
        {
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", Path.Combine(outDir, "slurm", script)]) { RedirectStandardError = true })!;
            string syntax = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, syntax);
        }
    }

    [Fact]
    public void OnAFolderWithStoredPoints_OnlyShardsMissingPointsAreSubmitted()
    {
        string spec = Spec();
        string outDir = Path.Combine(_dir.Path, "partly");
        foreach (int shard in new[] { 0, 1, 3 })
        {
            using var o = new StringWriter();
            using var e = new StringWriter();
            Assert.Equal(0, SweepCommand.Execute(new SweepOptions(spec, outDir, 1) { Shard = new SweepShard(shard, 4) }, o, e, CancellationToken.None));
        }

        var (exit, stdout, _) = CliRunner.Run("sweep", "submit", spec, "--slurm", "--out", outDir, "--array", "4", "--dry-run");
        Assert.Equal(0, exit);
        Assert.Contains("(shards 2 of 4 (the others have every point stored))", stdout, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=2\n", File.ReadAllText(Path.Combine(outDir, "slurm", "sweep-array.sbatch")), StringComparison.Ordinal);

        using (var o = new StringWriter())
        using (var e = new StringWriter())
        {
            Assert.Equal(0, SweepCommand.Execute(new SweepOptions(spec, outDir, 1) { Shard = new SweepShard(2, 4) }, o, e, CancellationToken.None));
        }

        var done = CliRunner.Run("sweep", "submit", spec, "--slurm", "--out", outDir, "--array", "4", "--dry-run");
        Assert.Equal(0, done.Exit);
        Assert.Contains("nothing to submit", done.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--array", "4" }, "--slurm: submit needs --slurm")]
    [InlineData(new[] { "--slurm", "--array", "0" }, "--array: must be a positive number of tasks, got 0")]
    [InlineData(new[] { "--slurm", "--cpus-per-task", "0" }, "--cpus-per-task: must be a positive integer, got 0")]
    [InlineData(new[] { "--slurm", "--partition", "a\n#SBATCH --x" }, "--partition: must be a partition name")]
    [InlineData(new[] { "--slurm", "--time", "1 hour" }, "--time: must be a Slurm time")]
    public void BadOptions_ExitTwoBeforeWritingAnything(string[] options, string message)
    {
        string outDir = Path.Combine(_dir.Path, "never");
        var (exit, _, stderr) = CliRunner.Run(["sweep", "submit", Spec(), "--out", outDir, "--dry-run", .. options]);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    [InlineData(new[] { 4 }, "4")]
    public void ShardLists_UseSlurmsArraySyntax(int[] tasks, string expected) => Assert.Equal(expected, SlurmScripts.Ranges(tasks));

    [Fact]
    public void ShellWords_SurviveQuotes() => Assert.Equal(@"'it'\''s a path'", SlurmScripts.Quote("it's a path"));
}
