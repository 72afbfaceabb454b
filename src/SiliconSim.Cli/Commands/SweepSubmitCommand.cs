using System.CommandLine;
using System.Text.RegularExpressions;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim sweep submit SPEC --slurm --out DIR [--array N] [--cpus-per-task C] [--partition P] [--time T]
/// [--dry-run] [--wait]`: writes DIR/slurm/sweep-array.sbatch (a job array, task I running shard I of N) and
/// DIR/slurm/merge.sbatch (<c>sweep merge DIR</c>, after the array ends in any state), submits both with sbatch unless
/// --dry-run, and prints the job ids; --wait returns when the merge job ends, with its outcome. Run again on the same
/// DIR, it submits only the shards that still have missing points (a grid's; a search's shards wait on one another at
/// each generation, so all of them are submitted).
/// </summary>
internal static partial class SweepSubmitCommand
{
    /// <summary>
    /// The default array size: 8 tasks spread a sweep over a few nodes' free cores without flooding a queue; larger
    /// sweeps pass --array (each task skips stored points, so any N is safe).
    /// </summary>
    private const int DefaultTasks = 8;

    /// <summary>The default CPUs per task: 4 workers keep a task's one model preparation cheap against its points and fit most nodes' free slots.</summary>
    private const int DefaultCpusPerTask = 4;

    /// <summary>How often --wait asks the controller about the merge job.</summary>
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(2);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var spec = new Argument<string>("SPEC") { Description = "A sweep file." };
        var slurm = new Option<bool>("--slurm") { Description = "Submit to Slurm (the scheduler supported; required)." };
        var output = new Option<string>("--out") { Description = "The sweep folder, on a filesystem every node shares.", Required = true };
        var array = new Option<int>("--array") { Description = $"Array tasks (shards) (default {DefaultTasks}).", DefaultValueFactory = _ => DefaultTasks };
        var cpus = new Option<int>("--cpus-per-task") { Description = $"CPUs per task; each task runs that many workers (default {DefaultCpusPerTask}).", DefaultValueFactory = _ => DefaultCpusPerTask };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's default)." };
        var time = new Option<string?>("--time") { Description = "Time limit per task, in Slurm's format (e.g. 1:00:00)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the scripts and print the sbatch commands; submit nothing." };
        var wait = new Option<bool>("--wait") { Description = "Return when the merge job ends (exit 0 when it completed)." };
        var command = new Command("submit", "Run a sweep on a Slurm cluster: a job array of shards, then a merge job.") { spec, slurm, output, array, cpus, partition, time, dryRun, wait };
        command.SetAction(parse => Execute(
            new SubmitOptions(parse.GetValue(spec)!, parse.GetValue(output)!, parse.GetValue(slurm), parse.GetValue(array), parse.GetValue(cpus), parse.GetValue(partition), parse.GetValue(time), parse.GetValue(dryRun), parse.GetValue(wait)),
            stdout,
            stderr,
            CancellationToken.None));
        return command;
    }

    internal sealed record SubmitOptions(string SpecPath, string OutDir, bool Slurm, int Tasks, int CpusPerTask, string? Partition, string? TimeLimit, bool DryRun, bool Wait);

    internal static int Execute(SubmitOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        try
        {
            Check(options);
        }
        catch (UserInputException e)
        {
            return SweepCommand.Fail(e, stderr);
        }

        if (SweepCommand.Load(options.SpecPath, null, stderr) is not SweepDefinition definition)
        {
            return CliApp.BadInput;
        }

        string outDir = Path.GetFullPath(options.OutDir);
        string specPath = Path.GetFullPath(options.SpecPath);
        SlurmScripts scripts;
        try
        {
            OutputFolder.Prepare(outDir, "--out");
            if (SweepFolder.Record(specPath, File.ReadAllText(specPath), outDir))
            {
                stdout.WriteLine(SweepCommand.ReplacedNote(outDir, specPath));
            }
            var runner = new SweepRunner(definition, outDir, RunCommand.ToolVersion());
            runner.LoadModels();
            var tasks = ShardsToRun(runner, options.Tasks);
            if (tasks.Count == 0)
            {
                stdout.WriteLine($"every point of {options.SpecPath} is stored in {outDir}; nothing to submit (`siliconsim sweep merge {outDir}` writes the tables)");
                return CliApp.Success;
            }

            scripts = new SlurmScripts(SelfInvocation.Command(), specPath, outDir, options.Tasks, tasks, options.CpusPerTask, options.Partition, options.TimeLimit);
            Directory.CreateDirectory(scripts.LogFolder);
        }
        catch (UserInputException e)
        {
            return SweepCommand.Fail(e, stderr);
        }

        string arrayScript = Path.Combine(outDir, "slurm", "sweep-array.sbatch");
        string mergeScript = Path.Combine(outDir, "slurm", "merge.sbatch");
        File.WriteAllText(arrayScript, scripts.Array());
        File.WriteAllText(mergeScript, scripts.Merge());
        string shards = scripts.Tasks.Count == options.Tasks ? $"all {options.Tasks} shards" : $"shards {SlurmScripts.Ranges(scripts.Tasks)} of {options.Tasks} (the others have every point stored)";
        stdout.WriteLine($"wrote {arrayScript} ({shards}) and {mergeScript}; logs go to {scripts.LogFolder}");
        if (options.DryRun)
        {
            stdout.WriteLine($"sbatch --parsable {arrayScript}");
            stdout.WriteLine($"sbatch --parsable --dependency=afterany:<array job id> {mergeScript}");
            return CliApp.Success;
        }

        long arrayJob;
        long mergeJob;
        try
        {
            arrayJob = SlurmClient.Submit(arrayScript);
            mergeJob = SlurmClient.Submit(mergeScript, $"--dependency=afterany:{arrayJob}");
        }
        catch (UserInputException e)
        {
            foreach (string line in e.Lines)
            {
                stderr.WriteLine($"siliconsim: error: {line}");
            }

            return CliApp.Failures;
        }

        stdout.WriteLine($"array job {arrayJob}");
        stdout.WriteLine($"merge job {mergeJob}");
        if (!options.Wait)
        {
            return CliApp.Success;
        }

        var (state, exit) = SlurmClient.WaitFor(mergeJob, s_poll, cancel);
        if (state == "COMPLETED" && exit == 0)
        {
            stdout.WriteLine($"merge job {mergeJob} completed: {Path.Combine(outDir, "results.csv")}");
            return CliApp.Success;
        }

        stderr.WriteLine($"siliconsim: merge job {mergeJob} ended {state} (exit {exit}); see {Path.Combine(scripts.LogFolder, $"merge-{mergeJob}.log")}. Run this command again to submit the missing points.");
        return CliApp.Failures;
    }

    private static void Check(SubmitOptions options)
    {
        if (!options.Slurm)
        {
            throw new UserInputException("--slurm", "submit needs --slurm (Slurm is the scheduler it supports)");
        }

        if (options.Tasks < 1)
        {
            throw new UserInputException("--array", $"must be a positive number of tasks, got {options.Tasks}");
        }

        if (options.CpusPerTask < 1)
        {
            throw new UserInputException("--cpus-per-task", $"must be a positive integer, got {options.CpusPerTask}");
        }

        // Written into #SBATCH lines: a newline or space would end the directive or inject another.
        if (options.Partition is string p && !SafeWord().IsMatch(p))
        {
            throw new UserInputException("--partition", $"must be a partition name (letters, digits, '_', '-', '.', ','), got '{p}'");
        }

        if (options.TimeLimit is string t && !SafeWord().IsMatch(t))
        {
            throw new UserInputException("--time", $"must be a Slurm time like 30, 1:00:00 or 2-00:00:00, got '{t}'");
        }
    }

    /// <summary>
    /// The shards with runnable points not yet stored: for a grid, those of the <paramref name="count"/> shards whose
    /// share is incomplete; for a search, all of them (its generations are barriers every shard takes part in).
    /// </summary>
    private static List<int> ShardsToRun(SweepRunner runner, int count)
    {
        var all = Enumerable.Range(0, count).ToList();
        if (runner.Searches)
        {
            return all;
        }

        var points = runner.NextGeneration([]);
        return [.. all.Where(i => !runner.Pending(new SweepShard(i, count).Select(points)).IsEmpty)];
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.,:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeWord();
}
