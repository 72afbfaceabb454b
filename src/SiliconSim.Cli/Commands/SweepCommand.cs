using System.Collections.Immutable;
using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;
using SiliconSim.Reporting.Sweeps;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim sweep SPEC.yaml [--out DIR] [--jobs N] [--shard I/N]`: expands a sweep file (or runs its search a
/// generation at a time), runs each model once functionally and the timing, energy and thermal models per point in
/// parallel, and writes results.csv, pareto.csv, report.html and points/&lt;key&gt;.json. A rerun skips stored points;
/// Ctrl-C stops scheduling, stores the points in flight, writes the tables and exits 130. With a shard (<c>--shard</c>,
/// or a Slurm array task's variables) it runs only that shard's points and leaves the tables to <c>sweep merge</c>;
/// <c>sweep submit</c> runs the shards as a Slurm job array.
/// </summary>
internal static class SweepCommand
{
    public const int Interrupted = 130;

    /// <summary>How often a shard that finished its part of a search's generation looks for the other shards' points.</summary>
    private static readonly TimeSpan s_barrierPoll = TimeSpan.FromSeconds(1);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var spec = new Argument<string>("SPEC") { Description = "A sweep file (see configs/sweeps/)." };
        var output = new Option<string?>("--out") { Description = "Output folder (default reports/sweeps/<spec name>)." };
        var jobs = new Option<int>("--jobs") { Description = "Worker threads for the timing runs (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var shard = new Option<string?>("--shard") { Description = "Run only shard I of N (I/N, from 0); the default inside a Slurm array task is the task's shard. `sweep merge` writes the tables." };
        var maxMemory = MaxMemoryOption.Create();
        var command = new Command("sweep", "Sweep config fields over models: latency, traffic, energy and temperature per point, with a Pareto front.")
        {
            spec, output, jobs, shard, maxMemory, SweepMergeCommand.Create(stdout, stderr), SweepSubmitCommand.Create(stdout, stderr),
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(spec)!;
            using var cancel = new CancellationTokenSource();
            void OnCancel(object? sender, ConsoleCancelEventArgs e)
            {
                // Stop scheduling, let the points in flight finish, then write what is done.
                e.Cancel = true;
                cancel.Cancel();
            }

            Console.CancelKeyPress += OnCancel;
            try
            {
                string outDir = parse.GetValue(output) ?? Path.Combine("reports", "sweeps", Path.GetFileNameWithoutExtension(path));
                SweepShard? chosen = parse.GetValue(shard) is string text ? SweepShard.Parse(text, "--shard") : SweepShard.FromSlurm(Environment.GetEnvironmentVariable);
                var options = new SweepOptions(path, outDir, parse.GetValue(jobs)) { MemoryBudget = MaxMemoryOption.Budget(parse, maxMemory), Shard = chosen };
                return Execute(options, stdout, stderr, cancel.Token);
            }
            finally
            {
                Console.CancelKeyPress -= OnCancel;
            }
        });
        return command;
    }

    /// <summary>The sweep, callable in-process; <paramref name="afterPoint"/> sees each stored point (tests cancel from it).</summary>
    internal static int Execute(SweepOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancel, Action<SweepPoint>? afterPoint = null)
    {
        if (options.Jobs <= 0)
        {
            stderr.WriteLine($"siliconsim: error: --jobs: must be a positive integer, got {options.Jobs}");
            return CliApp.BadInput;
        }

        if (Load(options.SpecPath, null, stderr) is not SweepDefinition definition)
        {
            return CliApp.BadInput;
        }

        SweepRunner runner;
        try
        {
            OutputFolder.Prepare(options.OutDir, "--out");
            if (SweepFolder.Record(options.SpecPath, File.ReadAllText(options.SpecPath), options.OutDir))
            {
                stdout.WriteLine(ReplacedNote(options.OutDir, options.SpecPath));
            }
            runner = new SweepRunner(definition, options.OutDir, RunCommand.ToolVersion()) { MemoryBudget = options.MemoryBudget };
            runner.LoadModels();
        }
        catch (UserInputException e)
        {
            return Fail(e, stderr);
        }

        var done = new List<ImmutableArray<SweepPoint>>();
        ImmutableArray<SweepPoint> current = [];
        bool complete = true;
        bool searching = definition.Search is not null;
        string shardLabel = options.Shard is { } s ? $"shard {s}: " : string.Empty;
        while (!(current = runner.NextGeneration(done)).IsEmpty)
        {
            try
            {
                // Every point's thermal run is bounded before any runs (its control period may be an axis).
                foreach (var point in current.Where(p => p.Runnable))
                {
                    ThermalSteps.Check(definition.ThermalSeconds, point.Spec!, $"thermal_seconds in {options.SpecPath}");
                }

                runner.PrepareModels(options.Shard?.Select(current) ?? current);
            }
            catch (UserInputException e)
            {
                return Fail(e, stderr);
            }

            var mine = (options.Shard?.Select(current) ?? current.Where(p => p.Runnable)).ToImmutableArray();
            var pending = runner.Pending(mine);
            int runnable = current.Count(p => p.Runnable);
            string generation = searching ? $"generation {done.Count}: " : string.Empty;
            string share = options.Shard is null ? string.Empty : $"{mine.Length} in this shard, ";
            stdout.WriteLine($"{shardLabel}{generation}{current.Length} points ({current.Length - runnable} dropped), {share}{mine.Length - pending.Length} already stored, {pending.Length} to run on {options.Jobs} workers");
            complete = RunPoints(runner, pending, options.Jobs, stdout, afterPoint, cancel);
            if (!complete)
            {
                break;
            }

            var missing = runner.Pending(current);
            if (!missing.IsEmpty && searching)
            {
                // A barrier: the next generation is chosen from this one's outcomes, which other shards are computing.
                stdout.WriteLine($"{shardLabel}waiting for {missing.Length} points of generation {done.Count} from the other shards");
                while (!(missing = runner.Pending(current)).IsEmpty && !cancel.WaitHandle.WaitOne(s_barrierPoll))
                {
                }

                if (!missing.IsEmpty)
                {
                    complete = false;
                    break;
                }
            }

            done.Add(current);
            current = [];
        }

        if (options.Shard is { } shard)
        {
            if (!complete)
            {
                stderr.WriteLine($"siliconsim: interrupted: shard {shard} stopped; rerun it (or the whole sweep) to resume.");
                return Interrupted;
            }

            stdout.WriteLine($"shard {shard} done; `siliconsim sweep merge {options.OutDir}` writes the tables once every shard is done");
            return CliApp.Success;
        }

        var visited = done.SelectMany(g => g).Concat(current).ToList();
        int stored = runner.WriteTables(visited);
        string results = Path.Combine(options.OutDir, "results.csv");
        if (!complete)
        {
            stderr.WriteLine($"siliconsim: interrupted: {stored} of {visited.Count(p => p.Runnable)} points stored; wrote {results}. Rerun the same command to resume.");
            return Interrupted;
        }

        var (x, y) = runner.Front;
        stdout.WriteLine($"wrote {results}, {Path.Combine(options.OutDir, "pareto.csv")} (front of {x} vs {y}) and {Path.Combine(options.OutDir, "report.html")}");
        return CliApp.Success;
    }

    /// <summary>
    /// Loads and checks a sweep file (from disk, or <paramref name="text"/> resolved as if at <paramref name="path"/>),
    /// writing its diagnostics; the search's objectives must be metric columns.
    /// </summary>
    internal static SweepDefinition? Load(string path, string? text, TextWriter stderr)
    {
        SweepLoadResult loaded = text is null ? SweepLoader.LoadFile(path) : SweepLoader.LoadText(text, path);
        foreach (var d in loaded.Diagnostics)
        {
            stderr.WriteLine($"siliconsim: error: {d}");
        }

        if (loaded.Definition?.Search is { } search)
        {
            foreach (string o in search.Objectives.Where(o => !SweepMetrics.Columns.Contains(o)))
            {
                stderr.WriteLine($"siliconsim: error: {search.ObjectivesLocation.File}:{search.ObjectivesLocation.Line}:{search.ObjectivesLocation.Column}: objectives: '{o}' is not a metric column; one of {string.Join(", ", SweepMetrics.Columns)}");
                return null;
            }
        }

        return loaded.Definition;
    }

    /// <summary>The note a run prints when its folder recorded another spec (an edited sweep, or another one).</summary>
    internal static string ReplacedNote(string outDir, string specPath) =>
        $"note: {outDir} recorded another spec; it now records {specPath} (stored points whose config, model and evaluation are unchanged are reused)";

    internal static int Fail(UserInputException e, TextWriter stderr)
    {
        foreach (string line in e.Lines)
        {
            stderr.WriteLine($"siliconsim: error: {line}");
        }

        return CliApp.BadInput;
    }

    /// <summary>Runs <paramref name="pending"/> with a progress bar on a terminal, a line per 5 % otherwise; false when cancelled.</summary>
    private static bool RunPoints(SweepRunner runner, ImmutableArray<SweepPoint> pending, int jobs, TextWriter stdout, Action<SweepPoint>? afterPoint, CancellationToken cancel)
    {
        bool complete = true;
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        if (terminal && pending.Length > 0)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("sweep", maxValue: pending.Length);
                    complete = runner.Run(pending, jobs, cancel, p =>
                    {
                        task.Increment(1);
                        afterPoint?.Invoke(p);
                    });
                });
            return complete;
        }

        int done = 0;
        int step = Math.Max(1, pending.Length / 20);
        var gate = new Lock();
        return runner.Run(pending, jobs, cancel, p =>
        {
            lock (gate)
            {
                if (++done % step == 0 || done == pending.Length)
                {
                    stdout.WriteLine($"  {done}/{pending.Length} points");
                }
            }

            afterPoint?.Invoke(p);
        });
    }
}
