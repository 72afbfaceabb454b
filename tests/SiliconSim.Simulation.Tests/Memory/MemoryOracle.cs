using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>
/// Independent element-level counts for the memory laws: which input elements a set of output pixels reads (by
/// enumerating every window tap), each operand's compulsory bytes, and the input traffic of a tiling's loop nest.
/// </summary>
public static class MemoryOracle
{
    public static long Bytes(long elements, int bits) => ((elements * bits) + 7) / 8;

    public static long Burst(long bytes, int burst) => (bytes + burst - 1) / burst * burst;

    /// <summary>Output axes outer to inner as (out, in, kernel, stride, dilation, padBegin); M alone for a gemm.</summary>
    public static (long Out, long In, long Kernel, long Stride, long Dilation, long Pad)[] Axes(MatrixLayer layer)
    {
        if (layer.Conv is not { } c)
        {
            return [(layer.Gemm.M, layer.Gemm.M, 1, 1, 1, 0)];
        }

        return [(c.Batch, c.Batch, 1, 1, 1, 0), .. Enumerable.Range(0, c.SpatialRank).Select(i => ((long)c.OutSpatial[i], (long)c.InSpatial[i], (long)c.KernelSpatial[i], (long)c.Strides[i], (long)c.Dilations[i], (long)c.PadsBegin[i]))];
    }

    /// <summary>Distinct in-bounds input positions along one axis that outputs [first, end) read, tap by tap.</summary>
    public static long TouchedPositions((long Out, long In, long Kernel, long Stride, long Dilation, long Pad) axis, long first, long end)
    {
        var seen = new HashSet<long>();
        for (long o = first; o < end; o++)
        {
            for (long j = 0; j < axis.Kernel; j++)
            {
                long i = (o * axis.Stride) - axis.Pad + (j * axis.Dilation);
                if (i >= 0 && i < axis.In)
                {
                    seen.Add(i);
                }
            }
        }

        return seen.Count;
    }

    public static long KUnitSize(MatrixLayer layer) => layer.Conv?.KernelSize ?? 1;

    /// <summary>Input elements the whole layer reads at least once: every channel of every group, at each touched position.</summary>
    public static long CompulsoryInputElements(MatrixLayer layer)
    {
        long channels = layer.Groups * (layer.Gemm.K / KUnitSize(layer));
        return channels * Axes(layer).Aggregate(1L, (p, a) => p * TouchedPositions(a, 0, a.Out));
    }

    public static long CompulsoryInputBytes(MatrixLayer layer) => Bytes(CompulsoryInputElements(layer), DataTypeInfo.BitWidth(layer.InputType));

    public static long CompulsoryWeightBytes(MatrixLayer layer) => Bytes(layer.Groups * layer.Gemm.K * layer.Gemm.N, DataTypeInfo.BitWidth(layer.WeightType));

    public static long CompulsoryOutputBytes(MatrixLayer layer) => Bytes(layer.Groups * layer.Gemm.M * layer.Gemm.N, DataTypeInfo.BitWidth(layer.OutputType));

    /// <summary>
    /// Runs <paramref name="mapping"/>'s loop nest (groups outermost, then its order) and sums, for every tile whose
    /// input block differs from the previous tile's, the burst-rounded bytes of the distinct input elements it reads.
    /// </summary>
    public static long InputTraffic(MatrixLayer layer, TileMapping mapping, int burst)
    {
        var axes = Axes(layer);
        long units = layer.Gemm.K / KUnitSize(layer);
        long unitsPerTile = mapping.KTile / KUnitSize(layer);
        int bits = DataTypeInfo.BitWidth(layer.InputType);
        int cut = mapping.MSlabAxis;
        long blocks = (axes[cut].Out + mapping.MSlabExtent - 1) / mapping.MSlabExtent;
        long[] trips = [mapping.MTiles, mapping.NTiles, mapping.KTiles];
        LoopOrder order = mapping.Order;
        long total = 0;
        (long, long, long) resident = (-1, -1, -1);
        var idx = new long[3];
        for (long gi = 0; gi < mapping.GroupTiles; gi++)
        {
            long gc = Math.Min(mapping.GroupsPerTile, layer.Groups - (gi * mapping.GroupsPerTile));
            for (long a = 0; a < trips[(int)order.Outer]; a++)
            {
                for (long b = 0; b < trips[(int)order.Middle]; b++)
                {
                    for (long c = 0; c < trips[(int)order.Inner]; c++)
                    {
                        idx[(int)order.Outer] = a;
                        idx[(int)order.Middle] = b;
                        idx[(int)order.Inner] = c;
                        long mi = idx[0], ki = idx[2];
                        if (resident == (gi, mi, ki))
                        {
                            continue;
                        }

                        resident = (gi, mi, ki);
                        long rest = mi / blocks, block = mi % blocks, positions = 1;
                        for (int ax = axes.Length - 1; ax >= 0; ax--)
                        {
                            (long first, long end) = ax > cut ? (0L, axes[ax].Out)
                                : ax == cut ? (block * mapping.MSlabExtent, Math.Min((block + 1) * mapping.MSlabExtent, axes[ax].Out))
                                : (rest % axes[ax].Out, (rest % axes[ax].Out) + 1);
                            if (ax < cut)
                            {
                                rest /= axes[ax].Out;
                            }

                            positions *= TouchedPositions(axes[ax], first, end);
                        }

                        long channels = gc * Math.Min(unitsPerTile, units - (ki * unitsPerTile));
                        total += Burst(Bytes(channels * positions, bits), burst);
                    }
                }
            }
        }

        return total;
    }
}
