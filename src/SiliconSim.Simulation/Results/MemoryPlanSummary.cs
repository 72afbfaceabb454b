using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Results;

/// <summary>The network memory plan of a run as a whole: how it was made and the least DRAM traffic any plan needs.</summary>
public sealed record MemoryPlanSummary
{
    public static MemoryPlanSummary None { get; } = new();

    public ExecutionSchedule Schedule { get; init; }

    /// <summary>Depth first: how many stacks of two or more consecutive layers carried bands of rows in line buffers.</summary>
    public int DepthFirstStacks { get; init; }

    /// <summary>
    /// Depth first: stacks the schedule could form but the plan left out, because the network moved no fewer DRAM bytes
    /// with them, nor as many in fewer cycles (line buffers that save no spill only shrink the tiles).
    /// </summary>
    public int DepthFirstStacksDeclined { get; init; }

    /// <summary>What depth first did, for a report line: the stacks formed, or why there are none.</summary>
    public string DepthFirstText => DepthFirstStacks > 0 ? $"{DepthFirstStacks} stack{(DepthFirstStacks == 1 ? "" : "s")} of layers carried band by band"
        : DepthFirstStacksDeclined > 0 ? $"no stack: the {DepthFirstStacksDeclined} possible saved no DRAM bytes and no cycles, so the layers run one by one"
        : "no stack: no consecutive convolutions qualify (each read only by the next, their weights within half the weight buffers)";

    /// <summary>Bytes of every buffer not dedicated to weights: where activations stay between layers.</summary>
    public long ActivationCapacityBytes { get; init; }

    /// <summary>Whether weights stayed on chip (asked for with <c>memory.weights: resident</c>, and they fit).</summary>
    public bool WeightsResident { get; init; }

    /// <summary>Whether the config asked for resident weights (when it did and they are not, they did not fit).</summary>
    public bool WeightsRequestedResident { get; init; }

    /// <summary>Bytes of resident weights, loaded once before the first inference and not counted per inference.</summary>
    public long ResidentWeightBytes { get; init; }

    /// <summary>Weights (each layer's once; none when resident) + graph inputs + graph outputs, burst-rounded per tensor.</summary>
    public long LowerBoundDramBytes { get; init; }

    /// <summary>How the batch was split so that its activations fit; null when it ran whole.</summary>
    public BatchSplit? BatchSplit { get; init; }
}

/// <summary>A batch run as <see cref="Parts"/> sub-batches of at most <see cref="SubBatch"/> inputs, each fetching the weights again.</summary>
public sealed record BatchSplit(int Batch, int SubBatch, int Parts);
