using System.Collections.Immutable;

namespace SiliconSim.Simulation.Layers;

/// <summary>One node of the lowered graph as work for the hardware: a matrix op for the array or an op for the vector unit.</summary>
public abstract record LayerWork
{
    /// <summary>The lowered graph's node name.</summary>
    public required string Name { get; init; }

    /// <summary>The node's op type (after lowering, e.g. QLinearConv).</summary>
    public required string OpType { get; init; }

    /// <summary>Bytes of the node's tensor inputs as stored (activations; not im2col-expanded).</summary>
    public required long InputBytes { get; init; }

    /// <summary>Bytes of the node's outputs as stored.</summary>
    public required long OutputBytes { get; init; }

    /// <summary>
    /// The tensors the node reads, in input order, for the network memory plan. Empty for a layer with no graph around it
    /// (a SCALE-Sim topology row): the plan then streams its operands from DRAM and writes its output back, as SCALE-Sim does.
    /// </summary>
    public ImmutableArray<TensorUse> Reads { get; init; } = [];

    /// <summary>The tensors the node writes (empty for a layer with no graph around it).</summary>
    public ImmutableArray<TensorUse> Writes { get; init; } = [];
}
