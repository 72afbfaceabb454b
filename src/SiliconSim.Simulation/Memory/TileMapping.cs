namespace SiliconSim.Simulation.Memory;

/// <summary>
/// The tiling the memory model chose for one matrix layer: tile extents, loop order, trip counts and each operand's
/// SRAM footprint per tile.
/// </summary>
public sealed record TileMapping
{
    /// <summary>Groups (conv groups or matmul batch entries) processed together in one tile.</summary>
    public required int GroupsPerTile { get; init; }

    /// <summary>
    /// Which output axis the M tiles cut (0 = batch, 1.. = spatial axes outer to inner; for a gemm/matmul 0 is M itself).
    /// Axes outer to it are cut into single indices, axes inner to it stay whole.
    /// </summary>
    public required int MSlabAxis { get; init; }

    /// <summary>Extent of the M cut along <see cref="MSlabAxis"/> (output rows, images, or GEMM rows).</summary>
    public required long MSlabExtent { get; init; }

    /// <summary>Rows of M (output pixels x batch) in a full tile.</summary>
    public required long MTile { get; init; }

    /// <summary>Columns of N (output channels per group) in a full tile.</summary>
    public required long NTile { get; init; }

    /// <summary>Elements of K in a full tile; a whole number of input channels x the kernel window for a conv.</summary>
    public required long KTile { get; init; }

    public required LoopOrder Order { get; init; }

    public required long GroupTiles { get; init; }

    public required long MTiles { get; init; }

    public required long NTiles { get; init; }

    public required long KTiles { get; init; }

    /// <summary>Tiles the array runs: the product of the four trip counts.</summary>
    public long TileCount => GroupTiles * MTiles * NTiles * KTiles;

    /// <summary>SRAM bytes of the largest input tile: the raw input region it touches (padding not stored), not the im2col expansion.</summary>
    public required long InputTileBytes { get; init; }

    public required long WeightTileBytes { get; init; }

    /// <summary>SRAM bytes of the largest output tile, at the accumulator width when it holds partial sums.</summary>
    public required long OutputTileBytes { get; init; }

    /// <summary>
    /// Whether the output buffer holds partial sums at the accumulator width: K is tiled, or a weight/input-stationary
    /// array folds K over its rows and accumulates the folds in the buffer.
    /// </summary>
    public required bool OutputHoldsPartialSums { get; init; }
}
