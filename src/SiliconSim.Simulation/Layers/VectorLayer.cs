using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Layers;

/// <summary>A non-matrix op for the vector unit, costed per element of its op class.</summary>
public sealed record VectorLayer : LayerWork
{
    public required VectorOpClass OpClass { get; init; }

    /// <summary>Elements the op processes (window elements for pooling, input elements for reductions, output elements otherwise).</summary>
    public required long Elements { get; init; }

    /// <summary>
    /// False for views and metadata (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Shape, Size, Constant): in a
    /// row-major layout they read and write no data, so they cost no cycles, no buffer accesses and no energy.
    /// </summary>
    public bool MovesData { get; init; } = true;
}
