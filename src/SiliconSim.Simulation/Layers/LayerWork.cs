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
}
