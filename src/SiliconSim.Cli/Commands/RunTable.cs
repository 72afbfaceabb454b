using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Results;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>The per-layer table and totals that <c>run</c> prints.</summary>
internal static class RunTable
{
    public static void Print(SimulationResult result, string values, ImmutableArray<OutputDrift> comparisons, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = 200;
        var table = new Table().Title($"{Markup.Escape(result.Model)} on {Markup.Escape(result.Accelerator)} (batch {result.Batch})")
            .AddColumns("layer", "op", "shape", "MACs", "cycles", "stall", "util", "SRAM rd/wr B", "DRAM rd/wr B");
        foreach (int c in new[] { 3, 4, 5, 6, 7, 8 })
        {
            table.Columns[c].RightAligned();
        }

        foreach (LayerResult l in result.Layers)
        {
            table.AddRow(
                Markup.Escape(l.Name),
                Markup.Escape(l.OpType),
                Markup.Escape(l.Shape),
                N(l.Macs),
                N(l.TotalCycles),
                N(l.StallCycles),
                l.Kind == LayerKind.Matrix ? l.Utilization.ToString("P1", CultureInfo.InvariantCulture) : "-",
                $"{N(l.SramReadBytes)} / {N(l.SramWriteBytes)}",
                $"{N(l.DramReadBytes)} / {N(l.DramWriteBytes)}");
        }

        console.Write(table);
        double utilization = result.TotalCycles == 0 ? 0 : result.Macs / ((double)result.PeCount * result.TotalCycles);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {N(result.TotalCycles)} cycles ({N(result.ComputeCycles)} compute, {N(result.StallCycles)} stall), {result.LatencySeconds * 1e6:0.###} us at {result.ClockMhz:0.###} MHz, {result.InferencesPerSecond:0.#} inferences/s, {N(result.Macs)} MACs, utilization {utilization:P1}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DRAM: {N(result.Layers.Sum(l => l.DramReadBytes))} B read, {N(result.Layers.Sum(l => l.DramWriteBytes))} B written"));
        stdout.WriteLine($"values: {values}");
        foreach (OutputDrift c in comparisons)
        {
            string top1 = c.Top1AgreeWithGolden is int agree ? string.Create(CultureInfo.InvariantCulture, $"  top1 agree {agree}/{c.Rows}") : string.Empty;
            long mismatches = c.Problem is null ? c.Mismatches : c.Elements;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  output {c.Name}: mismatches {mismatches}/{c.Elements}  max_abs_diff {c.MaxAbsDiff:G6}{top1}"));
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
