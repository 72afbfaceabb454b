namespace SiliconSim.Simulation.Results;

/// <summary>
/// What the on-chip buffers hold while one layer runs, as the network memory plan placed it.
/// </summary>
public sealed record LayerOccupancy
{
    public static LayerOccupancy None { get; } = new();

    /// <summary>Activation bytes resident in the activation buffers (every buffer not dedicated to weights) during the layer: its on-chip inputs, its kept outputs and the tensors waiting for later layers.</summary>
    public long ResidentActivationBytes { get; init; }

    /// <summary>Bytes of resident weights (all layers' constants when weights stay resident).</summary>
    public long ResidentWeightBytes { get; init; }

    /// <summary>Bytes the layer's tiles take in the buffers (twice a tile in a double-buffered buffer).</summary>
    public long TileBytes { get; init; }

    /// <summary>The part of <see cref="TileBytes"/> held in a buffer dedicated to weights, outside the activation
    /// capacity (0 when the weight tiles share a buffer with activations).</summary>
    public long WeightBufferTileBytes { get; init; }

    /// <summary>Activations the plan spilled to DRAM at this layer to make room.</summary>
    public IReadOnlyList<string> Spilled { get; init; } = [];
}
