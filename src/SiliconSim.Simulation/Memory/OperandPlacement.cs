namespace SiliconSim.Simulation.Memory;

/// <summary>
/// What the network memory plan tells the tiler about one matrix layer: which operands are already on chip, whether the
/// output must reach DRAM, and how much of the activation buffers the plan's resident tensors take.
/// </summary>
public sealed record OperandPlacement
{
    /// <summary>Every operand from DRAM, every output back to it, the buffers all the tiler's: a layer on its own.</summary>
    public static OperandPlacement Alone { get; } = new();

    /// <summary>The M x K operand is resident: the tiler reads it from SRAM and fetches nothing.</summary>
    public bool InputOnChip { get; init; }

    /// <summary>The K x N operand is resident (weights kept on chip, or an activation the plan holds).</summary>
    public bool WeightOnChip { get; init; }

    /// <summary>Whether final outputs are written to DRAM (a spill or a graph output); false when they stay on chip.</summary>
    public bool OutputToDram { get; init; } = true;

    /// <summary>
    /// Bytes of the activation buffers (every buffer not dedicated to weights) held by resident tensors while the layer
    /// runs, its own on-chip operands and kept output included. The tiles must fit in what is left.
    /// </summary>
    public long ReservedActivationBytes { get; init; }

    /// <summary>Bytes of the weight buffers held by resident weights (of every layer, when weights stay resident; of the
    /// other layers of a depth-first stack while it runs).</summary>
    public long ReservedWeightBytes { get; init; }

    /// <summary>
    /// Depth first: the layer runs in bands of at most this many output rows (the outer spatial axis), one band at a
    /// time through its stack; null: any tiling.
    /// </summary>
    public long? BandRows { get; init; }
}
