using System.Collections.Immutable;
using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim sweep merge DIR`: rebuilds results.csv, pareto.csv and report.html of the sweep recorded in DIR from its
/// stored points (the same code a single-machine run ends with, so the files are byte-identical to that run's). While
/// points are missing it lists them, writes the tables with those points pending, and exits 1.
/// </summary>
internal static class SweepMergeCommand
{
    /// <summary>The most missing points listed one per line; the rest are counted.</summary>
    private const int ListedMissing = 20;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Argument<string>("DIR") { Description = "A sweep's --out folder (its shards' points)." };
        var command = new Command("merge", "Write a sharded sweep's tables from its stored points; exits 1 listing the missing points while any are.") { dir };
        command.SetAction(parse => Execute(parse.GetValue(dir)!, stdout, stderr));
        return command;
    }

    internal static int Execute(string outDir, TextWriter stdout, TextWriter stderr)
    {
        SweepRunner runner;
        string source;
        try
        {
            if (!Directory.Exists(outDir))
            {
                throw new UserInputException("DIR", $"no such folder: {outDir}");
            }

            (string text, source) = SweepFolder.Read(outDir);
            if (SweepCommand.Load(source, text, stderr) is not SweepDefinition definition)
            {
                return CliApp.BadInput;
            }

            runner = new SweepRunner(definition, outDir, RunCommand.ToolVersion());
            runner.LoadModels();
        }
        catch (UserInputException e)
        {
            return SweepCommand.Fail(e, stderr);
        }

        var done = new List<ImmutableArray<SweepPoint>>();
        ImmutableArray<SweepPoint> current;
        ImmutableArray<SweepPoint> missing = [];
        while (!(current = runner.NextGeneration(done)).IsEmpty)
        {
            missing = runner.Pending(current);
            if (!missing.IsEmpty)
            {
                break;
            }

            done.Add(current);
        }

        var visited = done.SelectMany(g => g).Concat(current).ToList();
        runner.WriteTables(visited);
        if (!missing.IsEmpty)
        {
            string generation = runner.Searches ? $" of generation {done.Count} (the later generations follow from it)" : string.Empty;
            stderr.WriteLine($"siliconsim: sweep merge: {missing.Length} of {visited.Count(p => p.Runnable)} points missing{generation}:");
            foreach (SweepPoint p in missing.Take(ListedMissing))
            {
                stderr.WriteLine($"  {p.Index}: {string.Join(", ", p.Values.Select((v, k) => $"{runner.AxisPath(k)}={v}"))}");
            }

            if (missing.Length > ListedMissing)
            {
                stderr.WriteLine($"  ... and {missing.Length - ListedMissing} more");
            }

            stderr.WriteLine($"Run them with `siliconsim sweep submit {source} --slurm --out {outDir}` (only shards with missing points are submitted) or `siliconsim sweep {source} --out {outDir}`; wrote the tables with them pending.");
            return CliApp.Failures;
        }

        stdout.WriteLine($"merged {visited.Count(p => p.Runnable)} points: wrote {Path.Combine(outDir, "results.csv")}, {Path.Combine(outDir, "pareto.csv")} and {Path.Combine(outDir, "report.html")}");
        return CliApp.Success;
    }
}
