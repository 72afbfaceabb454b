using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Sweeps;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// A fact that runs only where Slurm and munge are installed and the test runs as root (the local cluster's slurmd
/// must start jobs); elsewhere it is skipped with the reason. CI installs both packages (.ci/run), so it runs there.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly string[] s_tools = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "sinfo"];

    public SlurmFactAttribute()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Concat(["/usr/sbin", "/sbin"]);
        var missing = s_tools.Where(t => !path.Any(d => File.Exists(Path.Combine(d, t)))).ToList();
        if (!OperatingSystem.IsLinux())
        {
            Skip = "the local Slurm cluster needs Linux (Debian's slurm-wlm and munge)";
        }
        else if (missing.Count > 0)
        {
            Skip = $"Slurm is not installed here ({string.Join(", ", missing)} not found): `apt-get install -y slurm-wlm munge` (as .ci/run does) to run this test";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "the local Slurm cluster's slurmd starts jobs for their users, which needs root; run the suite as root (as CI does)";
        }
    }
}

/// <summary>
/// `sweep submit --slurm` on a real Slurm: tools/slurm/start-local-cluster.sh starts a one-node cluster, a sweep runs as
/// a 4-task job array plus a merge job, and its tables equal a local run's byte for byte; a task killed mid-run leaves
/// its points missing (the merge job fails listing them) and a resubmission runs only that shard, to the same bytes.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed partial class SlurmSweepTests : IDisposable
{
    private static readonly string[] s_tables = ["results.csv", "pareto.csv", "report.html"];

    private readonly TempFolder _dir = new();
    private readonly string _state = Path.Combine(Path.GetTempPath(), "siliconsim-slurm-tests");
    private readonly string? _oldConf = Environment.GetEnvironmentVariable("SLURM_CONF");

    public void Dispose()
    {
        Script("stop-local-cluster.sh");
        Environment.SetEnvironmentVariable("SLURM_CONF", _oldConf);
        _dir.Dispose();
    }

    /// <summary>Runs a tools/slurm script on this test's state folder and port (apart from a cluster a user may run).</summary>
    private (int Exit, string Output) Script(string name)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryFolder.Root, "tools", "slurm", name)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SILICONSIM_SLURM_DIR"] = _state;
        start.Environment["SILICONSIM_SLURM_PORT"] = "6917";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(90)), $"{name} did not finish");
        return (process.ExitCode, output + error.Result);
    }

    private static (int Exit, string Out, string Err) Submit(string spec, string outDir, bool wait)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var options = new SweepSubmitCommand.SubmitOptions(spec, outDir, Slurm: true, Tasks: 4, CpusPerTask: 1, Partition: null, TimeLimit: "5", DryRun: false, Wait: wait);
        int exit = SweepSubmitCommand.Execute(options, stdout, stderr, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static long Job(string output, string kind) => long.Parse(JobLine().Matches(output).Single(m => m.Groups[1].Value == kind).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    [SlurmFact]
    public void ASweepSubmittedAsA4TaskArray_MatchesALocalRun_AndACancelledTaskIsResubmittedAlone()
    {
        var (started, log) = Script("start-local-cluster.sh");
        Assert.True(started == 0, log);
        Assert.Contains("idle", log, StringComparison.Ordinal);
        Environment.SetEnvironmentVariable("SLURM_CONF", Path.Combine(_state, "slurm.conf"));

        // Starting a running cluster again changes nothing (idempotent).
        Assert.Equal(0, Script("start-local-cluster.sh").Exit);

        string model = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        string spec = _dir.File("sweep.yaml", Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: ['{model}']\naxes:\n  array.rows: [8, 16, 32]\n  array.dataflow: [os, ws, is]\n  memory.buffers[0].capacity_kib: [32, 128, 512]\nconstraints:\n  - total_sram_kib <= 512\nthermal_seconds: 0\n"));
        string local = Path.Combine(_dir.Path, "local", "sweep");
        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            Assert.Equal(0, SweepCommand.Execute(new SweepOptions(spec, local, 2), stdout, stderr, CancellationToken.None));
        }

        string slurm = Path.Combine(_dir.Path, "slurm", "sweep");
        var run = Submit(spec, slurm, wait: true);
        Assert.True(run.Exit == 0, run.Out + run.Err);
        Assert.Contains("all 4 shards", run.Out, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(slurm, "slurm", "logs"), "task-*.log").Length);
        foreach (string table in s_tables)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(slurm, table)));
        }

        // Task 0 is cancelled before it runs: the partition is down while the sweep is submitted, so which task lost
        // its points does not hang on a race (cancelling a running task lost it on CI, where task 0 stored all its
        // points before the cancel arrived). The merge sees the same thing either way: a shard with points missing.
        string killed = Path.Combine(_dir.Path, "killed", "sweep");
        long merge;
        Slurm("scontrol", "update", "PartitionName=local", "State=DOWN");
        try
        {
            var first = Submit(spec, killed, wait: false);
            Assert.True(first.Exit == 0, first.Out + first.Err);
            long array = Job(first.Out, "array");
            merge = Job(first.Out, "merge");
            Assert.Contains("JobState=PENDING", Slurm("scontrol", "show", "job", "-o", $"{array}_0"), StringComparison.Ordinal);
            string cancelled = Slurm("scancel", $"{array}_0");
            Assert.True(cancelled.Length == 0, cancelled);
        }
        finally
        {
            Slurm("scontrol", "update", "PartitionName=local", "State=UP");
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            // The merge runs after the array ends in any state, finds task 0's points missing and fails.
            var (state, exit) = SlurmClient.WaitFor(merge, TimeSpan.FromMilliseconds(500), timeout.Token);
            Assert.Equal(("FAILED", 1), (state, exit));
        }

        string mergeLog = File.ReadAllText(Path.Combine(killed, "slurm", "logs", $"merge-{merge}.log"));
        Assert.Matches(@"sweep merge: [1-9]\d* of 18 points missing:", mergeLog);

        var again = Submit(spec, killed, wait: true);
        Assert.True(again.Exit == 0, again.Out + again.Err);
        Assert.Contains("shards 0 of 4 (the others have every point stored)", again.Out, StringComparison.Ordinal);
        foreach (string table in s_tables)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, table)), File.ReadAllBytes(Path.Combine(killed, table)));
        }
    }

    private static string Slurm(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output + error.Result;
    }

    [GeneratedRegex(@"^(array|merge) job (\d+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex JobLine();
}
