using System.Collections.Immutable;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// The memory model's outcome for one matrix layer: the chosen tiling, cycles split into compute and stalls, SRAM and
/// DRAM traffic and the roofline point. When <see cref="Status"/> is <see cref="MappingStatus.Infeasible"/> only
/// <see cref="Reason"/> and <see cref="BufferName"/> are meaningful and every count is zero.
/// </summary>
public sealed record MatrixLayerResult
{
    public required string LayerName { get; init; }

    public required MappingStatus Status { get; init; }

    /// <summary>Why no tiling fits, naming the buffer and the bytes its smallest tile needs; null when feasible.</summary>
    public string? Reason { get; init; }

    /// <summary>The buffer the reason is about (the first one, in spec order, that cannot hold the smallest tile).</summary>
    public string? BufferName { get; init; }

    public TileMapping? Mapping { get; init; }

    /// <summary>MACs summed over the tiles run (equals the layer's MACs under every tiling).</summary>
    public long Macs { get; init; }

    /// <summary>Σ over tiles of the compute delegate's cycles: the array busy with no memory limits.</summary>
    public long ComputeCycles { get; init; }

    /// <summary>Cycles added because an SRAM buffer's ports could not feed the array at its demand.</summary>
    public long PortStallCycles { get; init; }

    /// <summary>Cycles the array waited for DRAM: the first fill, the last drain, and every transfer longer than the compute it overlaps.</summary>
    public long DramStallCycles { get; init; }

    public long StallCycles => PortStallCycles + DramStallCycles;

    /// <summary>ComputeCycles + StallCycles.</summary>
    public long TotalCycles { get; init; }

    /// <summary>Per buffer holding an operand, in spec order.</summary>
    public ImmutableArray<BufferCounters> Buffers { get; init; } = [];

    public DramCounters Dram { get; init; } = DramCounters.Zero;

    public RooflinePoint? Roofline { get; init; }

    public static MatrixLayerResult Infeasible(string layerName, string reason, string? bufferName) =>
        new() { LayerName = layerName, Status = MappingStatus.Infeasible, Reason = reason, BufferName = bufferName };
}
