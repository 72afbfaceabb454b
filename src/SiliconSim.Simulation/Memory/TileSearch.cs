using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Chooses tile extents and a loop order by exhaustive search over a fixed candidate set, scoring each with a
/// closed-form DRAM traffic count (docs/memory-model.md, "Tiling").
/// </summary>
/// <remarks>
/// Candidate extents per dimension are the powers of two below the extent and the balanced splits ceil(extent / 2^i);
/// M is cut along one output axis at a time (axes outer to the cut in single indices, inner axes whole), K in whole
/// input channels. A candidate is feasible when, for every buffer, the largest tiles of the operands it holds sum to at
/// most its <see cref="BufferSpec.TileCapacityBytes"/>. The search keeps every candidate with the least DRAM bytes,
/// ordered by tile count (fewer DRAM latencies and array refills), loop-order index in <see cref="LoopOrder.All"/>, then
/// larger K, N, M and group tiles; <see cref="MatrixMemoryModel"/> times them and keeps the fastest. The candidate set
/// does not depend on capacities, so a larger buffer only adds feasible candidates and can never raise the minimum
/// traffic, nor the least cycles among tilings with that traffic.
/// </remarks>
internal static class TileSearch
{
    public static TileChoice? Find(LayerGeometry geo, BufferAssignment buffers, ArraySpec array, int burstBytes) =>
        Find(geo, buffers, array, burstBytes, OperandPlacement.Alone);

    /// <summary>
    /// As <see cref="Find(LayerGeometry, BufferAssignment, ArraySpec, int)"/> inside a network memory plan: an operand on
    /// chip needs no tile space and no DRAM bytes, an output that stays on chip writes no final outputs, and the tiles
    /// share the activation buffers with the plan's resident tensors (<see cref="Fits"/>).
    /// </summary>
    public static TileChoice? Find(LayerGeometry geo, BufferAssignment buffers, ArraySpec array, int burstBytes, OperandPlacement placement)
    {
        List<TileChoice> ties = DramOptimal(geo, buffers, array, burstBytes, placement);
        return ties.Count == 0 ? null : ties[0];
    }

    /// <summary>
    /// Every feasible tiling with the least DRAM bytes, best first by the tie-breaks of <see cref="Better"/>; empty when
    /// not even the smallest tile fits. The memory model times them all and keeps the fastest (docs/memory-model.md,
    /// "Tiling"): a larger buffer only adds candidates, so it can neither raise the least traffic nor, among tilings
    /// with that traffic, the least cycles.
    /// </summary>
    public static List<TileChoice> DramOptimal(LayerGeometry geo, BufferAssignment buffers, ArraySpec array, int burstBytes, OperandPlacement placement)
    {
        var ties = new List<TileChoice>();
        var inputs = new Dictionary<(long, int, long, long), (long Max, long Sum)>();
        var weights = new Dictionary<(long, long, long), (long Max, long Sum)>();
        var outputs = new Dictionary<(long, int, long, long), (long Max, long Sum, long PartialSum)>();
        long? best = null;
        foreach (long gt in Candidates(geo.Groups))
        {
            long gTiles = LayerGeometry.CeilDiv(geo.Groups, gt);
            foreach ((int axis, long extent) in MCuts(geo))
            {
                // A band of output rows: cut along the outer spatial axis by at most the band, or finer along an inner one; a
                // band as tall as the image is one image.
                if (placement.BandRows is long band && geo.Axes.Length > 1
                    && !(axis > 1 || (axis == 1 && extent <= band) || (axis == 0 && extent == 1 && band >= geo.Axes[1].Out)))
                {
                    continue;
                }

                long mTiles = geo.MTiles(axis, extent);
                foreach (long ct in Candidates(geo.KUnits))
                {
                    long kTiles = LayerGeometry.CeilDiv(geo.KUnits, ct);
                    bool partials = HoldsPartialSums(kTiles, ct * geo.KUnitSize, array);
                    if (!inputs.TryGetValue((gt, axis, extent, ct), out var inT))
                    {
                        Histogram h = geo.InputTiles(gt, axis, extent, ct);
                        inT = placement.InputOnChip ? (0, 0) : (LayerGeometry.Bytes(h.Max, geo.InputWidth), h.Sum(v => Burst(LayerGeometry.Bytes(v, geo.InputWidth), burstBytes)));
                        inputs[(gt, axis, extent, ct)] = inT;
                    }

                    foreach (long nt in Candidates(geo.N))
                    {
                        long nTiles = LayerGeometry.CeilDiv(geo.N, nt);
                        if (!weights.TryGetValue((gt, ct, nt), out var wT))
                        {
                            Histogram h = geo.WeightTiles(gt, ct, nt);
                            wT = placement.WeightOnChip ? (0, 0) : (LayerGeometry.Bytes(h.Max, geo.WeightWidth), h.Sum(v => Burst(LayerGeometry.Bytes(v, geo.WeightWidth), burstBytes)));
                            weights[(gt, ct, nt)] = wT;
                        }

                        if (!outputs.TryGetValue((gt, axis, extent, nt), out var oT))
                        {
                            Histogram h = geo.OutputTiles(gt, axis, extent, nt);
                            oT = (h.Max, placement.OutputToDram ? h.Sum(v => Burst(LayerGeometry.Bytes(v, geo.OutputWidth), burstBytes)) : 0, h.Sum(v => Burst(LayerGeometry.Bytes(v, geo.PartialSumWidth), burstBytes)));
                            outputs[(gt, axis, extent, nt)] = oT;
                        }

                        long outBytes = LayerGeometry.Bytes(oT.Max, partials ? geo.PartialSumWidth : geo.OutputWidth);
                        if (!Fits(buffers, placement, inT.Max, wT.Max, outBytes))
                        {
                            continue;
                        }

                        long tiles = gTiles * mTiles * nTiles * kTiles;
                        for (int o = 0; o < LoopOrder.All.Length; o++)
                        {
                            LoopOrder order = LoopOrder.All[o];
                            long dram = Traffic(order, mTiles, nTiles, kTiles, inT.Sum, wT.Sum, oT.Sum, oT.PartialSum);
                            if (best is long least && dram > least)
                            {
                                continue;
                            }

                            if (best is null || dram < best)
                            {
                                best = dram;
                                ties.Clear();
                            }

                            ties.Add(new TileChoice(gt, axis, extent, ct, nt, o, partials, inT.Max, wT.Max, outBytes, dram, tiles));
                        }
                    }
                }
            }
        }

        ties.Sort((a, b) => a == b ? 0 : Better(a, b, geo) ? -1 : 1);
        return ties;
    }

    /// <summary>
    /// The closed-form DRAM bytes of one tiling under <paramref name="order"/>, from the burst-rounded sums over each
    /// operand's tile grid: refetches x grid sum for input and weight, the output grid once, and a spill plus a
    /// read-back of the partial-sum grid for every output residency after the first.
    /// </summary>
    public static long Traffic(LoopOrder order, long mTiles, long nTiles, long kTiles, long inputSum, long weightSum, long outputSum, long partialSum) =>
        (Refetches(order, mTiles, nTiles, kTiles, OperandKind.Input) * inputSum)
        + (Refetches(order, mTiles, nTiles, kTiles, OperandKind.Weight) * weightSum)
        + outputSum
        + (2 * (Refetches(order, mTiles, nTiles, kTiles, OperandKind.Output) - 1) * partialSum);

    /// <summary>The closed-form DRAM bytes of <paramref name="c"/>'s tiling under its order (no caching: for checks).</summary>
    public static long Traffic(LayerGeometry geo, TileChoice c, int burstBytes)
    {
        long Sum(Histogram h, OperandWidth width) => h.Sum(v => Burst(LayerGeometry.Bytes(v, width), burstBytes));
        Histogram output = geo.OutputTiles(c.GroupsPerTile, c.Axis, c.Extent, c.NTile);
        return Traffic(
            c.Order,
            geo.MTiles(c.Axis, c.Extent),
            LayerGeometry.CeilDiv(geo.N, c.NTile),
            LayerGeometry.CeilDiv(geo.KUnits, c.UnitsPerTile),
            Sum(geo.InputTiles(c.GroupsPerTile, c.Axis, c.Extent, c.UnitsPerTile), geo.InputWidth),
            Sum(geo.WeightTiles(c.GroupsPerTile, c.UnitsPerTile, c.NTile), geo.WeightWidth),
            Sum(output, geo.OutputWidth),
            Sum(output, geo.PartialSumWidth));
    }

    /// <summary>
    /// How many times each tile of <paramref name="operand"/> is brought on chip (for the output: how many separate
    /// residencies it has while K is reduced). A tile stays resident while only loops it does not depend on advance
    /// inside its innermost dependent loop; it is refetched once per iteration of every independent loop outside that one.
    /// </summary>
    public static long Refetches(LoopOrder order, long mTiles, long nTiles, long kTiles, OperandKind operand)
    {
        long Trips(LoopDim d) => d switch { LoopDim.M => mTiles, LoopDim.N => nTiles, _ => kTiles };
        bool Depends(LoopDim d) => operand switch
        {
            OperandKind.Input => d != LoopDim.N,
            OperandKind.Weight => d != LoopDim.M,
            _ => d != LoopDim.K,
        };

        int innermost = -1;
        for (int p = 0; p < 3; p++)
        {
            if (Depends(order.At(p)) && Trips(order.At(p)) > 1)
            {
                innermost = p;
            }
        }

        long r = 1;
        for (int p = 0; p < innermost; p++)
        {
            if (!Depends(order.At(p)))
            {
                r *= Trips(order.At(p));
            }
        }

        return r;
    }

    /// <summary>
    /// The output tile holds accumulator-width partial sums when K is tiled, or when a weight- or input-stationary array
    /// folds a K tile over its rows and adds the folds up in the output buffer. An output-stationary array reduces a
    /// whole K tile inside its PEs.
    /// </summary>
    public static bool HoldsPartialSums(long kTiles, long kTile, ArraySpec array) =>
        kTiles > 1 || (array.Dataflow != Dataflow.OutputStationary && kTile > array.Rows);

    /// <summary>The buffers whose operands' tiles do not fit their tile capacity, with the bytes asked of each.</summary>
    public static IEnumerable<(BufferSpec Buffer, long Input, long Weight, long Output)> Overflowing(BufferAssignment buffers, long input, long weight, long output)
    {
        foreach (BufferSpec b in buffers.Used)
        {
            long i = ReferenceEquals(buffers.Input, b) ? input : 0;
            long w = ReferenceEquals(buffers.Weight, b) ? weight : 0;
            long o = ReferenceEquals(buffers.Output, b) ? output : 0;
            if (i + w + o > b.TileCapacityBytes)
            {
                yield return (b, i, w, o);
            }
        }
    }

    /// <summary>
    /// Whether tiles of these footprints fit beside the plan's resident tensors: each buffer holds its operands' tiles
    /// within its tile capacity (a weight buffer's capacity less the resident weights), and the activation buffers
    /// together hold the resident tensors plus the space the tiles take (twice a tile in a double-buffered buffer).
    /// </summary>
    public static bool Fits(BufferAssignment buffers, OperandPlacement placement, long input, long weight, long output)
    {
        long poolCapacity = 0, poolUsed = placement.ReservedActivationBytes;
        foreach (BufferSpec b in buffers.Used)
        {
            long i = ReferenceEquals(buffers.Input, b) ? input : 0;
            long w = ReferenceEquals(buffers.Weight, b) ? weight : 0;
            long o = ReferenceEquals(buffers.Output, b) ? output : 0;
            long tiles = i + w + o;
            if (b.Role == BufferRole.Weight)
            {
                long free = b.CapacityBytes - placement.ReservedWeightBytes;
                if (tiles > (b.DoubleBuffered ? free / 2 : free))
                {
                    return false;
                }

                continue;
            }

            if (tiles > b.TileCapacityBytes)
            {
                return false;
            }

            poolCapacity += b.CapacityBytes;
            poolUsed += b.DoubleBuffered ? 2 * tiles : tiles;
            if (ReferenceEquals(buffers.Weight, b))
            {
                poolUsed += placement.ReservedWeightBytes;
            }
        }

        return poolUsed <= poolCapacity;
    }

    public static long Burst(long bytes, int burstBytes) => LayerGeometry.CeilDiv(bytes, burstBytes) * burstBytes;

    /// <summary>Powers of two below <paramref name="extent"/> and ceil(extent / 2^i), ascending and distinct.</summary>
    public static SortedSet<long> Candidates(long extent)
    {
        var set = new SortedSet<long>();
        for (long p = 1; p < extent; p *= 2)
        {
            set.Add(p);
        }

        for (long d = 1; ; d *= 2)
        {
            long v = LayerGeometry.CeilDiv(extent, d);
            set.Add(v);
            if (v == 1)
            {
                break;
            }
        }

        return set;
    }

    /// <summary>
    /// Every M cut: along axis a, extents from the candidate set; a whole axis below the outermost equals a one-index cut
    /// of the axis outside it, so it is listed once (as the latter).
    /// </summary>
    private static IEnumerable<(int Axis, long Extent)> MCuts(LayerGeometry geo)
    {
        for (int a = 0; a < geo.Axes.Length; a++)
        {
            foreach (long t in Candidates(geo.Axes[a].Out))
            {
                if (a > 0 && t == geo.Axes[a].Out)
                {
                    continue;
                }

                yield return (a, t);
            }
        }
    }

    private static bool Better(TileChoice a, TileChoice b, LayerGeometry geo)
    {
        if (a.DramBytes != b.DramBytes)
        {
            return a.DramBytes < b.DramBytes;
        }

        if (a.TileCount != b.TileCount)
        {
            return a.TileCount < b.TileCount;
        }

        if (a.OrderIndex != b.OrderIndex)
        {
            return a.OrderIndex < b.OrderIndex;
        }

        if (a.UnitsPerTile != b.UnitsPerTile)
        {
            return a.UnitsPerTile > b.UnitsPerTile;
        }

        if (a.NTile != b.NTile)
        {
            return a.NTile > b.NTile;
        }

        long ma = geo.MTile(a.Axis, a.Extent), mb = geo.MTile(b.Axis, b.Extent);
        if (ma != mb)
        {
            return ma > mb;
        }

        if (a.Axis != b.Axis)
        {
            return a.Axis < b.Axis;
        }

        return a.GroupsPerTile > b.GroupsPerTile;
    }
}
