using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// The batch side of the memory plan: a batch runs whole, so that every layer fetches its weights once for all its
/// inputs, unless its activations spill; then it runs as equal sub-batches, the largest whose activations fit, each
/// fetching the weights again, when that moves fewer DRAM bytes (ties: fewer cycles) than spilling does.
/// </summary>
internal static class BatchPlanning
{
    public static PerformanceOutcome Evaluate(AcceleratorSpec spec, PreparedWorkload workload)
    {
        PerformanceOutcome whole = PerformanceModel.Evaluate(spec, workload.Layers, workload.Name, workload.Batch, workload.OperandTypes);
        if (!whole.Success || workload.Batch <= 1 || workload.LayersAtBatch is null || Spills(whole.Result!) == 0)
        {
            return whole;
        }

        SimulationResult best = whole.Result!;
        foreach (int subBatch in Enumerable.Range(1, workload.Batch / 2).Where(b => workload.Batch % b == 0).Reverse())
        {
            if (workload.LayersAtBatch(subBatch) is not { } layers)
            {
                break;
            }

            PerformanceOutcome part = PerformanceModel.Evaluate(spec, layers, workload.Name, subBatch, workload.OperandTypes);
            if (!part.Success)
            {
                continue;
            }

            SimulationResult split = Repeat(part.Result!, workload.Batch / subBatch, workload.Batch);
            if (Better(split, best))
            {
                best = split;
            }

            if (Spills(part.Result!) == 0)
            {
                break; // smaller sub-batches only fetch the weights more often
            }
        }

        return new PerformanceOutcome(best, []);
    }

    private static long Spills(SimulationResult result) => result.Layers.Sum(l => l.Dram.SpillWriteBytes);

    private static bool Better(SimulationResult a, SimulationResult b)
    {
        long ta = a.DramReadBytes + a.DramWriteBytes, tb = b.DramReadBytes + b.DramWriteBytes;
        return ta != tb ? ta < tb : a.TotalCycles < b.TotalCycles;
    }

    /// <summary>A sub-batch's result run <paramref name="parts"/> times back to back: one run of the whole batch.</summary>
    private static SimulationResult Repeat(SimulationResult part, int parts, int batch) => part with
    {
        Batch = batch,
        Layers = [.. part.Layers.Select(l => l.Repeated(parts))],
        Plan = part.Plan with
        {
            LowerBoundDramBytes = part.Plan.LowerBoundDramBytes * parts,
            BatchSplit = new BatchSplit(batch, part.Batch, parts),
        },
    };
}
