using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>The per-layer table and totals that <c>run</c> prints.</summary>
internal static class RunTable
{
    public static void Print(RunResult run, string values, TextWriter stdout)
    {
        SimulationResult result = run.Performance;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = 200;
        var table = new Table().Title($"{Markup.Escape(result.Model)} on {Markup.Escape(result.Accelerator)} (batch {result.Batch})")
            .AddColumns("layer", "op", "shape", "MACs", "cycles", "stall", "util", "SRAM rd/wr B", "DRAM rd/wr B", "plan");
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
                $"{N(l.DramReadBytes)} / {N(l.DramWriteBytes)}",
                Markup.Escape(Plan(l)));
        }

        console.Write(table);
        double utilization = result.TotalCycles == 0 ? 0 : result.Macs / ((double)result.PeCount * result.TotalCycles);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {N(result.TotalCycles)} cycles ({N(result.ComputeCycles)} compute, {N(result.StallCycles)} stall), {result.LatencySeconds * 1e6:0.###} us at {result.ClockMhz:0.###} MHz, {result.InferencesPerSecond:0.#} inferences/s, {N(result.Macs)} MACs, utilization {utilization:P1}"));
        stdout.WriteLine(DramLine(result));
        stdout.WriteLine($"values: {values}");
        foreach (OutputDrift c in run.Outputs)
        {
            string top1 = c.Top1AgreeWithGolden is int agree ? string.Create(CultureInfo.InvariantCulture, $"  top1 agree {agree}/{c.Rows}") : string.Empty;
            long mismatches = c.Problem is null ? c.Mismatches : c.Elements;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  output {c.Name}: mismatches {mismatches}/{c.Elements}  max_abs_diff {c.MaxAbsDiff:G6}{top1}"));
        }
    }

    /// <summary>What the memory plan did at a layer: ran it in an epilogue, spilled or refilled activations.</summary>
    public static string Plan(LayerResult l)
    {
        var parts = new List<string>();
        if (l.FusedInto is not null)
        {
            parts.Add("epilogue");
        }

        if (l.Dram.SpillWriteBytes > 0)
        {
            parts.Add($"spill {N(l.Dram.SpillWriteBytes)}");
        }

        if (l.Dram.RefillReadBytes > 0)
        {
            parts.Add($"refill {N(l.Dram.RefillReadBytes)}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The network's DRAM traffic by cause beside the lower bound no plan can beat.</summary>
    public static string DramLine(SimulationResult result)
    {
        DramTraffic t = result.Layers.Aggregate(DramTraffic.Zero, (a, l) => a.Plus(l.Dram));
        MemoryPlanSummary plan = result.Plan;
        string bound = plan.LowerBoundDramBytes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; lower bound {N(plan.LowerBoundDramBytes)} B (weights + inputs + outputs), {(t.ReadBytes + t.WriteBytes) / (double)plan.LowerBoundDramBytes:0.00}x")
            : string.Empty;
        string weights = plan.WeightsResident ? string.Create(CultureInfo.InvariantCulture, $"; weights resident ({N(plan.ResidentWeightBytes)} B loaded once)")
            : plan.WeightsRequestedResident ? "; weights streamed (they do not fit half the weight buffers)" : string.Empty;
        string depthFirst = plan.Schedule == ExecutionSchedule.DepthFirst ? $"; depth first: {plan.DepthFirstText}" : string.Empty;
        string split = plan.BatchSplit is { } b ? string.Create(CultureInfo.InvariantCulture, $"; batch {b.Batch} run as {b.Parts} x {b.SubBatch} so that activations fit") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"DRAM: {N(t.ReadBytes)} B read (weights {N(t.WeightReadBytes)}, inputs {N(t.ActivationInReadBytes)}, refills {N(t.RefillReadBytes)}), {N(t.WriteBytes)} B written (outputs {N(t.ActivationOutWriteBytes)}, spills {N(t.SpillWriteBytes)}){bound}{weights}{split}{depthFirst}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
