using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim sweep SPEC.yaml [--out DIR] [--jobs N]`: expands a sweep file, runs each model once functionally and
/// the timing, energy and thermal models per point in parallel, and writes results.csv, pareto.csv and points/&lt;key&gt;.json. A rerun
/// skips stored points; Ctrl-C stops scheduling, stores the points in flight, writes the tables and exits 130.
/// </summary>
internal static class SweepCommand
{
    public const int Interrupted = 130;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var spec = new Argument<string>("SPEC") { Description = "A sweep file (see configs/sweeps/)." };
        var output = new Option<string?>("--out") { Description = "Output folder (default reports/sweeps/<spec name>)." };
        var jobs = new Option<int>("--jobs") { Description = "Worker threads for the timing runs (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxMemory = MaxMemoryOption.Create();
        var command = new Command("sweep", "Sweep config fields over models: latency, traffic, energy and temperature per point, with a Pareto front.") { spec, output, jobs, maxMemory };
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
                return Execute(new SweepOptions(path, outDir, parse.GetValue(jobs)) { MemoryBudget = MaxMemoryOption.Budget(parse, maxMemory) }, stdout, stderr, cancel.Token);
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

        SweepLoadResult loaded = SweepLoader.LoadFile(options.SpecPath);
        if (!loaded.Success)
        {
            foreach (var d in loaded.Diagnostics)
            {
                stderr.WriteLine($"siliconsim: error: {d}");
            }

            return CliApp.BadInput;
        }

        SweepRunner runner;
        try
        {
            OutputFolder.Prepare(options.OutDir, "--out");
            runner = new SweepRunner(loaded.Definition!, options.OutDir, RunCommand.ToolVersion()) { MemoryBudget = options.MemoryBudget };

            // Every point's thermal run is bounded before any runs (its control period may be an axis).
            foreach (var point in runner.Points.Where(p => p.Runnable))
            {
                ThermalSteps.Check(loaded.Definition!.ThermalSeconds, point.Spec!, $"thermal_seconds in {options.SpecPath}");
            }

            runner.PrepareModels();
        }
        catch (UserInputException e)
        {
            foreach (string line in e.Lines)
            {
                stderr.WriteLine($"siliconsim: error: {line}");
            }

            return CliApp.BadInput;
        }

        var pending = runner.Pending();
        int runnable = runner.Points.Count(p => p.Runnable);
        stdout.WriteLine($"{runner.Points.Length} points ({runner.Points.Length - runnable} dropped), {runnable - pending.Length} already stored, {pending.Length} to run on {options.Jobs} workers");
        bool complete;
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        if (terminal && pending.Length > 0)
        {
            complete = false;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("sweep", maxValue: pending.Length);
                    complete = runner.Run(pending, options.Jobs, cancel, p =>
                    {
                        task.Increment(1);
                        afterPoint?.Invoke(p);
                    });
                });
        }
        else
        {
            int done = 0;
            int step = Math.Max(1, pending.Length / 20);
            var gate = new Lock();
            complete = runner.Run(pending, options.Jobs, cancel, p =>
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

        int stored = runner.WriteTables();
        string results = Path.Combine(options.OutDir, "results.csv");
        if (!complete)
        {
            stderr.WriteLine($"siliconsim: interrupted: {stored} of {runnable} points stored; wrote {results}. Rerun the same command to resume.");
            return Interrupted;
        }

        stdout.WriteLine($"wrote {results}, {Path.Combine(options.OutDir, "pareto.csv")} (front of latency_s vs {SweepRunner.ParetoMetric}) and {Path.Combine(options.OutDir, "report.html")}");
        return CliApp.Success;
    }
}
