using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Reporting.Charts;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Html;

/// <summary>The memory-plan section of report.html.</summary>
public static partial class HtmlReport
{
    /// <summary>
    /// How the network memory plan ran: schedule, activation capacity, weights resident or streamed, the batch split;
    /// the network's DRAM bytes by cause beside the lower bound no plan can beat; the occupancy chart; and every layer
    /// that spills or refills. Nothing when the plan did not run (a converted /1 report).
    /// </summary>
    private static void WriteMemoryPlan(TextWriter w, RunResult run, RenderedChart? chart)
    {
        if (!MemoryOccupancyChart.Applies(run))
        {
            return;
        }

        SimulationResult r = run.Performance;
        MemoryPlanSummary plan = r.Plan;
        DramTraffic total = r.Layers.Aggregate(DramTraffic.Zero, (sum, l) => sum.Plus(l.Dram));
        int fused = r.Layers.Count(l => l.FusedInto is not null);
        int vector = r.Layers.Count(l => l.Kind == LayerKind.Vector);

        w.WriteLine("<h2 id=\"memory-plan\">Memory plan</h2><table>");
        Row(w, "schedule", plan.Schedule switch
        {
            ExecutionSchedule.LayerByLayer => "layer by layer",
            ExecutionSchedule.DepthFirst => $"depth first: {plan.DepthFirstText}",
            _ => plan.Schedule.ToString(),
        });
        Row(w, "activation capacity", $"{F(plan.ActivationCapacityBytes)} B ({MemoryOccupancyChart.Bytes(plan.ActivationCapacityBytes)}: every buffer not dedicated to weights)");
        if (r.Layers.Length > 0)
        {
            int at = 0;
            for (int i = 1; i < r.Layers.Length; i++)
            {
                at = r.Layers[i].Occupancy.ResidentActivationBytes > r.Layers[at].Occupancy.ResidentActivationBytes ? i : at;
            }

            long peak = r.Layers[at].Occupancy.ResidentActivationBytes;
            string share = plan.ActivationCapacityBytes > 0 ? string.Create(CultureInfo.InvariantCulture, $", {100.0 * peak / plan.ActivationCapacityBytes:0} % of the activation capacity") : "";
            Row(w, "peak resident activations", $"{F(peak)} B at #{at} {r.Layers[at].Name}{share}");
        }

        Row(w, "weights", WeightsText(plan));
        if (plan.BatchSplit is { } split)
        {
            Row(w, "batch split", $"batch {F(split.Batch)} run as {F(split.Parts)} sub-batches of at most {F(split.SubBatch)} so that their activations fit; each sub-batch fetches the weights again");
        }

        Row(w, "fused layers", $"{F(fused)} of {F(vector)} vector layers run in a matrix layer's epilogue");
        w.WriteLine("</table>");

        w.WriteLine("<h3>DRAM traffic by cause</h3><table><tr><th>cause</th><th>read B</th><th>written B</th><th>in the lower bound</th></tr>");
        CauseRow(w, "weights", total.WeightReadBytes, null, true);
        CauseRow(w, "graph inputs", total.ActivationInReadBytes, null, true);
        CauseRow(w, "graph outputs", null, total.ActivationOutWriteBytes, true);
        CauseRow(w, "spills", null, total.SpillWriteBytes, false);
        CauseRow(w, "refills", total.RefillReadBytes, null, false);
        w.WriteLine($"<tr><th>total</th><th class=\"n\">{F(total.ReadBytes)}</th><th class=\"n\">{F(total.WriteBytes)}</th><th></th></tr>");
        w.WriteLine("</table>");
        long moved = total.ReadBytes + total.WriteBytes;
        string ratio = plan.LowerBoundDramBytes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{moved / (double)plan.LowerBoundDramBytes:0.00}x")
            : "–";
        w.WriteLine($"<p id=\"dram-bound\">DRAM moves <b>{F(moved)} B</b> in all, <b>{ratio}</b> the lower bound of <b>{F(plan.LowerBoundDramBytes)} B</b> "
            + "(weights, graph inputs and graph outputs once each: what any plan must move).</p>");

        if (chart is not null)
        {
            WriteFigures(w, [chart]);
        }

        var events = r.Layers.Select((l, i) => (Layer: l, Index: i)).Where(e => e.Layer.Dram.SpillWriteBytes > 0 || e.Layer.Dram.RefillReadBytes > 0).ToList();
        if (events.Count == 0)
        {
            w.WriteLine("<p id=\"spills\">No layer spills or refills.</p>");
            return;
        }

        w.WriteLine("<h3>Layers that spill or refill</h3><table id=\"spills\"><tr><th>#</th><th>layer</th><th>spilled B (written)</th><th>refilled B (read back)</th><th>tensors spilled here</th></tr>");
        foreach (var (l, i) in events)
        {
            string tensors = l.Occupancy.Spilled.Count > 0 ? string.Join(", ", l.Occupancy.Spilled)
                : l.Dram.SpillWriteBytes > 0 ? "its own output or partial sums"
                : "";
            w.WriteLine($"<tr><td class=\"n\">{i}</td><td>{E(l.Name)}</td><td class=\"n\">{F(l.Dram.SpillWriteBytes)}</td><td class=\"n\">{F(l.Dram.RefillReadBytes)}</td><td>{E(tensors)}</td></tr>");
        }

        w.WriteLine("</table>");
    }

    /// <summary>
    /// What the memory plan did at layer <paramref name="i"/>, for the layer table: "epilogue of #12" (the producing
    /// layer's row), "spill 36,864 B", "refill 36,864 B". Short, since the layer table is already wide.
    /// </summary>
    internal static string PlanText(IReadOnlyList<LayerResult> layers, int i)
    {
        LayerResult l = layers[i];
        var parts = new List<string>(3);
        if (l.FusedInto is { } producer)
        {
            int at = -1;
            for (int j = i - 1; j >= 0 && at < 0; j--)
            {
                at = layers[j].Name == producer ? j : -1;
            }

            parts.Add("epilogue of " + (at >= 0 ? "#" + at.ToString(CultureInfo.InvariantCulture) : producer));
        }

        if (l.Dram.SpillWriteBytes > 0)
        {
            parts.Add($"spill {F(l.Dram.SpillWriteBytes)} B");
        }

        if (l.Dram.RefillReadBytes > 0)
        {
            parts.Add($"refill {F(l.Dram.RefillReadBytes)} B");
        }

        return string.Join("; ", parts);
    }

    private static string WeightsText(MemoryPlanSummary plan) =>
        plan.WeightsResident ? $"resident: {F(plan.ResidentWeightBytes)} B loaded once before the first inference, not counted per run"
        : plan.WeightsRequestedResident ? "streamed from DRAM by each layer (resident was asked for, but they do not fit)"
        : "streamed from DRAM by each layer";

    private static void CauseRow(TextWriter w, string cause, long? read, long? written, bool inBound) =>
        w.WriteLine($"<tr><td>{E(cause)}</td><td class=\"n\">{(read is long r ? F(r) : "")}</td><td class=\"n\">{(written is long x ? F(x) : "")}</td><td>{(inBound ? "yes" : "no")}</td></tr>");
}
