using System.Collections.Immutable;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// The tiles of one matrix layer as GEMM index ranges: groups in runs of <see cref="GroupsPerTile"/>, rows of M in the
/// contiguous ranges <see cref="MRanges"/>, N in runs of <see cref="NTile"/>, K in runs of <see cref="KTile"/>.
/// </summary>
public sealed record TilePlan(int GroupsPerTile, ImmutableArray<(int Start, int Count)> MRanges, int NTile, int KTile)
{
    /// <summary>
    /// The ranges of the memory model's chosen <paramref name="mapping"/>. Its M cut along one output axis (batch, then
    /// spatial axes outer to inner) fixes the outer axes to single indices and keeps the inner ones whole, so each M tile
    /// is one contiguous run of GEMM rows (image-major, then output pixels row-major).
    /// </summary>
    public static TilePlan From(TileMapping mapping, MatrixOperands operands)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(operands);
        int[] axes = operands.Conv is { } g ? [g.Batch, .. g.OutSpatial] : [operands.M];
        int axis = mapping.MSlabAxis, extent = checked((int)mapping.MSlabExtent);
        int outer = axes.Take(axis).Aggregate(1, (p, a) => p * a);
        int inner = axes.Skip(axis + 1).Aggregate(1, (p, a) => p * a);
        var ranges = ImmutableArray.CreateBuilder<(int, int)>();
        for (int o = 0; o < outer; o++)
        {
            for (int s = 0; s < axes[axis]; s += extent)
            {
                ranges.Add((((o * axes[axis]) + s) * inner, Math.Min(extent, axes[axis] - s) * inner));
            }
        }

        return new TilePlan(mapping.GroupsPerTile, ranges.ToImmutable(), checked((int)mapping.NTile), checked((int)mapping.KTile));
    }

    /// <summary>The whole layer as one tile.</summary>
    public static TilePlan Whole(MatrixOperands operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        return new TilePlan(operands.Groups, [(0, operands.M)], operands.N, operands.K);
    }
}
