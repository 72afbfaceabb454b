using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// The memory side of a matrix layer: chooses a tiling that fits the SRAM buffers with the least DRAM traffic (the
/// fastest of those), then
/// counts SRAM and DRAM traffic and times the double-buffered tile pipeline around the array's compute
/// (docs/memory-model.md).
/// </summary>
public static class MatrixMemoryModel
{
    /// <summary>
    /// Evaluates one matrix layer on <paramref name="spec"/>'s memory. <paramref name="computeCycles"/> gives the array's
    /// cycles for one group's tile GEMM (M rows x N columns x K reduction) with operands already on chip; a tile of g
    /// groups costs g times that. The result is <see cref="MappingStatus.Infeasible"/>, with a reason naming the buffer,
    /// when not even a tile of one output pixel x one output channel x one input channel fits.
    /// </summary>
    /// <remarks>
    /// The tiling is the exhaustive minimum, over candidate tile extents (powers of two and balanced splits of each
    /// dimension, M cut along one output axis, K in whole input channels, several groups per tile) and all six loop
    /// orders, of the closed-form DRAM bytes; among the tilings with the least bytes the fewest cycles win, then fewer
    /// tiles, the order's index in <see cref="LoopOrder.All"/>, and larger K, N, M and group tiles. Timing: per tile, the double-buffered transfers of the next tile's inputs and
    /// the previous tile's outputs overlap its compute; non-double-buffered transfers, the first fill and the last drain
    /// are exposed; a transfer takes ceil(latency + bytes / bandwidth) cycles; a tile takes at least its SRAM bytes over
    /// BytesPerCycle x Ports of each buffer. Cost is linear in the tile counts of the tilings tied on bytes.
    /// </remarks>
    /// <exception cref="ArgumentException">the layer's conv geometry disagrees with its GEMM, or the DRAM spec is unusable.</exception>
    public static MatrixLayerResult Evaluate(MatrixLayer layer, AcceleratorSpec spec, Func<GemmShape, long> computeCycles) =>
        Evaluate(layer, spec, computeCycles, null, OperandPlacement.Alone);

    /// <summary>As <see cref="Evaluate(MatrixLayer, AcceleratorSpec, Func{GemmShape, long})"/> inside a network memory
    /// plan (<see cref="OperandPlacement"/>).</summary>
    public static MatrixLayerResult Evaluate(MatrixLayer layer, AcceleratorSpec spec, Func<GemmShape, long> computeCycles, OperandPlacement placement) =>
        Evaluate(layer, spec, computeCycles, null, placement);

    /// <summary>
    /// As <see cref="Evaluate(MatrixLayer, AcceleratorSpec, Func{GemmShape, long})"/>, but the array's compute is
    /// <paramref name="layerComputeCycles"/> for the whole layer, spread over the tiles in proportion to their MACs
    /// (<see cref="WholeLayerCompute"/>): the result's <see cref="MatrixLayerResult.ComputeCycles"/> equals it under
    /// every tiling, and only traffic and stalls depend on the buffers. This is how <c>timing: scalesim</c> runs.
    /// </summary>
    public static MatrixLayerResult Evaluate(MatrixLayer layer, AcceleratorSpec spec, long layerComputeCycles) =>
        Evaluate(layer, spec, layerComputeCycles, OperandPlacement.Alone);

    /// <summary>As <see cref="Evaluate(MatrixLayer, AcceleratorSpec, long)"/> inside a network memory plan.</summary>
    public static MatrixLayerResult Evaluate(MatrixLayer layer, AcceleratorSpec spec, long layerComputeCycles, OperandPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfNegative(layerComputeCycles);
        return Evaluate(layer, spec, static _ => throw new InvalidOperationException("whole-layer compute has no per-tile delegate"), new WholeLayerCompute(layerComputeCycles, layer.Macs), placement);
    }

    private static MatrixLayerResult Evaluate(MatrixLayer layer, AcceleratorSpec spec, Func<GemmShape, long> computeCycles, WholeLayerCompute? wholeLayer, OperandPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(computeCycles);
        DramSpec dram = spec.Memory.Dram;
        if (dram.BurstBytes <= 0 || !(dram.BandwidthGBps > 0) || !(dram.LatencyNs >= 0) || !(spec.ClockMhz > 0))
        {
            throw new ArgumentException($"DRAM burst ({dram.BurstBytes} B), bandwidth ({dram.BandwidthGBps} GB/s) and clock ({spec.ClockMhz} MHz) must be positive and latency ({dram.LatencyNs} ns) non-negative");
        }

        var geo = new LayerGeometry(layer, spec.Array.Numerics.AccumulatorBits);
        BufferAssignment? buffers = BufferAssignment.Resolve(spec.Memory.Buffers, out string? missing);
        if (buffers is null)
        {
            return MatrixLayerResult.Infeasible(layer.Name, missing!, null);
        }

        List<TileChoice> ties = TileSearch.DramOptimal(geo, buffers, spec.Array, dram.BurstBytes, placement);
        if (ties.Count == 0)
        {
            (string reason, string buffer) = SmallestTileReason(geo, buffers, spec.Array);
            return MatrixLayerResult.Infeasible(layer.Name, reason, buffer);
        }

        return Fastest(ties, geo, buffers, spec, computeCycles, wholeLayer, placement, layer.Name);
    }

    /// <summary>
    /// Tiles the tie-break may walk per layer: 2^14 keeps a Llama-3-8B prefill (thousands of tiles per tiling, hundreds
    /// of tilings tied on bytes) to milliseconds per layer, and walks every tie of a layer of up to a few thousand tiles.
    /// A deterministic budget, so results never depend on timing; beyond it a larger buffer may again pick a slower
    /// tiling for the same bytes (docs/memory-model.md).
    /// </summary>
    private const long TieWalkBudgetTiles = 1 << 14;

    /// <summary>
    /// Times the tilings with the least DRAM traffic (in tie-break order, within <see cref="TieWalkBudgetTiles"/>) and keeps the fewest cycles (the first in tie-break order on equal
    /// cycles). Bytes alone do not decide latency: larger tiles expose more of the first fill and the last drain and can
    /// fold worse on the array, so a DRAM-only objective let a larger buffer pick a slower tiling for the same bytes.
    /// </summary>
    private static MatrixLayerResult Fastest(List<TileChoice> ties, LayerGeometry geo, BufferAssignment buffers, AcceleratorSpec spec, Func<GemmShape, long> computeCycles, WholeLayerCompute? wholeLayer, OperandPlacement placement, string layerName)
    {
        MatrixLayerResult? best = null;
        long walked = 0;
        foreach (TileChoice choice in ties)
        {
            // Tie-break order first (fewest tiles), so the budget cuts only the many-tile tilings of large layers.
            if (best is not null && walked + choice.TileCount > TieWalkBudgetTiles)
            {
                break;
            }

            walked += choice.TileCount;
            MatrixLayerResult r = new TileWalker(geo, choice, buffers, spec, computeCycles, wholeLayer, placement).Run(layerName);
            if (best is null || r.TotalCycles < best.TotalCycles)
            {
                best = r;
            }
        }

        return best!;
    }

    /// <summary>Names every buffer that cannot hold the smallest tile (1 group, 1 output pixel, 1 input channel, 1 output channel).</summary>
    private static (string Reason, string Buffer) SmallestTileReason(LayerGeometry geo, BufferAssignment buffers, ArraySpec array)
    {
        int lastAxis = geo.Axes.Length - 1;
        long input = LayerGeometry.Bytes(geo.InputTiles(1, lastAxis, 1, 1).Max, geo.InputWidth);
        long weight = LayerGeometry.Bytes(geo.WeightTiles(1, 1, 1).Max, geo.WeightWidth);
        bool partials = TileSearch.HoldsPartialSums(geo.KUnits, geo.KUnitSize, array);
        long output = LayerGeometry.Bytes(1, partials ? geo.PartialSumWidth : geo.OutputWidth);
        var parts = new List<string>();
        string? first = null;
        foreach (var (b, i, w, o) in TileSearch.Overflowing(buffers, input, weight, output))
        {
            first ??= b.Name;
            var asks = new List<string>();
            if (ReferenceEquals(buffers.Input, b))
            {
                asks.Add(string.Create(CultureInfo.InvariantCulture, $"input {i} B"));
            }

            if (ReferenceEquals(buffers.Weight, b))
            {
                asks.Add(string.Create(CultureInfo.InvariantCulture, $"weight {w} B"));
            }

            if (ReferenceEquals(buffers.Output, b))
            {
                asks.Add(string.Create(CultureInfo.InvariantCulture, $"output {o} B"));
            }

            string half = b.DoubleBuffered ? " (half of it, double buffered)" : string.Empty;
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"buffer '{b.Name}' ({b.Role}, capacity {b.CapacityBytes} B) has {b.TileCapacityBytes} B per tile{half} but the smallest tile needs {string.Join(" + ", asks)} = {i + w + o} B"));
        }

        // The smallest tile is itself a candidate, so an empty search means at least one buffer overflows here.
        return (string.Join("; ", parts), first ?? buffers.Used[0].Name);
    }
}
