using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// A matrix layer as the tiler sees it: G groups of an M x N x K GEMM where M is the output pixel space (batch and
/// spatial axes, each with the input range it reads) and K is a whole number of units (input channels x kernel window
/// for a conv, single elements for a gemm). Also the sizes of each operand's tiles under a candidate tiling.
/// </summary>
internal sealed class LayerGeometry
{
    private readonly Histogram[] _unitTouched;
    private readonly Dictionary<(int Axis, long Extent), Histogram> _cutTouched = [];

    public LayerGeometry(MatrixLayer layer, int accumulatorBits)
    {
        GemmShape gemm = layer.Gemm;
        if (gemm.M <= 0 || gemm.N <= 0 || gemm.K <= 0 || layer.Groups <= 0)
        {
            throw new ArgumentException($"layer '{layer.Name}': GEMM extents and groups must be positive, got {gemm} x {layer.Groups} groups");
        }

        Groups = layer.Groups;
        N = gemm.N;
        // Partial sums are stored in whole bytes per element: an SRAM word holds no half accumulators.
        PartialSumWidth = 8 * ((accumulatorBits + 7) / 8);
        if (layer.Conv is { } conv)
        {
            long inPerGroup = conv.InChannels / Math.Max(conv.Group, 1);
            if ((long)conv.Batch * conv.OutSize != gemm.M || inPerGroup * conv.KernelSize != gemm.K
                || conv.OutChannels / Math.Max(conv.Group, 1) != gemm.N || conv.Group != layer.Groups)
            {
                throw new ArgumentException(
                    $"layer '{layer.Name}': conv geometry (N{conv.Batch} C{conv.InChannels} M{conv.OutChannels} g{conv.Group}, {conv.OutSize} output pixels, window {conv.KernelSize}) does not match its GEMM {gemm} x {layer.Groups} groups");
            }

            KUnits = inPerGroup;
            KUnitSize = conv.KernelSize;
            var axes = new OutputAxis[conv.SpatialRank + 1];
            axes[0] = new OutputAxis(conv.Batch, conv.Batch, 1, 1, 1, 0);
            for (int i = 0; i < conv.SpatialRank; i++)
            {
                axes[i + 1] = new OutputAxis(conv.OutSpatial[i], conv.InSpatial[i], conv.KernelSpatial[i], conv.Strides[i], conv.Dilations[i], conv.PadsBegin[i]);
            }

            Axes = axes;
        }
        else
        {
            KUnits = gemm.K;
            KUnitSize = 1;
            Axes = [new OutputAxis(gemm.M, gemm.M, 1, 1, 1, 0)];
        }

        // Block scales run in lines along the reduction for the weights, and along the channels of a pixel (all groups')
        // or a GEMM row for the activations (MatrixLayer.InputScales, WeightScales, OutputScales).
        WeightWidth = Width(layer.WeightType, layer.WeightScales, line: KUnits);
        InputWidth = Width(layer.InputType, layer.InputScales, line: layer.Conv is null ? KUnits : Groups * KUnits);
        OutputWidth = Width(layer.OutputType, layer.OutputScales, line: layer.Conv is null ? N : Groups * N);

        _unitTouched = new Histogram[Axes.Length];
        for (int a = 0; a < Axes.Length; a++)
        {
            var h = new Histogram();
            for (long o = 0; o < Axes[a].Out; o++)
            {
                h.Add(Axes[a].Touched(o, o + 1), 1);
            }

            _unitTouched[a] = h;
        }
    }

    public long Groups { get; }

    public long N { get; }

    /// <summary>K = KUnits x KUnitSize: input channels per group x window for a conv, K x 1 for a gemm.</summary>
    public long KUnits { get; }

    public long KUnitSize { get; }

    public long K => KUnits * KUnitSize;

    /// <summary>Output axes outer to inner: batch then spatial for a conv; M alone for a gemm.</summary>
    public OutputAxis[] Axes { get; }

    public long M => Axes.Aggregate(1L, (p, a) => p * a.Out);

    /// <summary>The streamed activation as stored: its element type, and its block scales if any.</summary>
    public OperandWidth InputWidth { get; }

    /// <summary>The K x N operand as stored, with its block scales (and zero points) when it has them.</summary>
    public OperandWidth WeightWidth { get; }

    public OperandWidth OutputWidth { get; }

    public OperandWidth PartialSumWidth { get; }

    private static OperandWidth Width(DataType type, BlockScales? scales, long line) => scales is null
        ? DataTypeInfo.BitWidth(type)
        : new OperandWidth(DataTypeInfo.BitWidth(type), scales.ScaleBits, scales.BlockSize, line);

    /// <summary>Bytes of <paramref name="elements"/> elements of <paramref name="width"/>, packed (sub-byte types share
    /// bytes), block scales included.</summary>
    public static long Bytes(long elements, OperandWidth width) => width.Bytes(elements);

    /// <summary>
    /// Bytes of an input that the windows of <paramref name="convs"/> (convs reading it as their input) touch at all,
    /// padding excluded: the union over the convs of the input pixels some window reads, times the channels and the
    /// batch. Less than the whole input where strides or dilations skip pixels.
    /// </summary>
    public static long TouchedInputBytes(IReadOnlyList<MatrixLayer> convs)
    {
        var first = new LayerGeometry(convs[0], accumulatorBits: 32);
        OutputAxis[] axes0 = first.Axes;
        long pixels = 1;
        for (int a = 1; a < axes0.Length; a++)
        {
            pixels *= axes0[a].In;
        }

        var touched = new bool[pixels];
        foreach (MatrixLayer conv in convs)
        {
            OutputAxis[] axes = new LayerGeometry(conv, accumulatorBits: 32).Axes;
            bool[][] masks = [.. axes.Skip(1).Select(x => x.TouchedMask())];
            for (long p = 0; p < pixels; p++)
            {
                long rest = p;
                bool hit = true;
                for (int a = masks.Length - 1; a >= 0 && hit; a--)
                {
                    hit = masks[a][rest % masks[a].Length];
                    rest /= masks[a].Length;
                }

                touched[p] |= hit;
            }
        }

        long elements = touched.LongCount(t => t) * first.Groups * first.KUnits * axes0[0].In;
        return Bytes(elements, first.InputWidth);
    }

    /// <summary>M tiles for a cut of <paramref name="extent"/> along <paramref name="axis"/>.</summary>
    public long MTiles(int axis, long extent)
    {
        long tiles = CeilDiv(Axes[axis].Out, extent);
        for (int a = 0; a < axis; a++)
        {
            tiles *= Axes[a].Out;
        }

        return tiles;
    }

    /// <summary>Output pixels (rows of M) in a full tile of that cut.</summary>
    public long MTile(int axis, long extent)
    {
        long rows = extent;
        for (int a = axis + 1; a < Axes.Length; a++)
        {
            rows *= Axes[a].Out;
        }

        return rows;
    }

    /// <summary>Elements of the raw input region (padding excluded) each input tile holds.</summary>
    public Histogram InputTiles(long groupsPerTile, int axis, long extent, long unitsPerTile)
    {
        Histogram h = Histogram.Blocks(Groups, groupsPerTile).Times(Histogram.Blocks(KUnits, unitsPerTile));
        for (int a = 0; a < Axes.Length; a++)
        {
            h = h.Times(TouchedTiles(a, axis, extent));
        }

        return h;
    }

    public Histogram WeightTiles(long groupsPerTile, long unitsPerTile, long nTile)
    {
        var k = new Histogram();
        foreach (var (units, count) in Histogram.Blocks(KUnits, unitsPerTile).Entries)
        {
            k.Add(units * KUnitSize, count);
        }

        return Histogram.Blocks(Groups, groupsPerTile).Times(k).Times(Histogram.Blocks(N, nTile));
    }

    public Histogram OutputTiles(long groupsPerTile, int axis, long extent, long nTile)
    {
        var pixels = new Histogram();
        pixels.Add(1, 1);
        for (int a = 0; a < Axes.Length; a++)
        {
            Histogram along = a < axis ? Histogram.Single(1, Axes[a].Out) : a == axis ? Histogram.Blocks(Axes[a].Out, extent) : Histogram.Single(Axes[a].Out);
            pixels = pixels.Times(along);
        }

        return Histogram.Blocks(Groups, groupsPerTile).Times(pixels).Times(Histogram.Blocks(N, nTile));
    }

    /// <summary>
    /// The output ranges of M tile <paramref name="index"/> (tiles numbered row-major over the axes outer to the cut,
    /// then the cut's blocks): per axis [first, end).
    /// </summary>
    public void MTileRanges(int axis, long extent, long index, Span<long> first, Span<long> end)
    {
        long blocks = CeilDiv(Axes[axis].Out, extent);
        long block = index % blocks;
        long rest = index / blocks;
        for (int a = Axes.Length - 1; a >= 0; a--)
        {
            if (a > axis)
            {
                first[a] = 0;
                end[a] = Axes[a].Out;
            }
            else if (a == axis)
            {
                first[a] = block * extent;
                end[a] = Math.Min(first[a] + extent, Axes[a].Out);
            }
            else
            {
                first[a] = rest % Axes[a].Out;
                end[a] = first[a] + 1;
                rest /= Axes[a].Out;
            }
        }
    }

    public static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private Histogram TouchedTiles(int a, int axis, long extent)
    {
        if (a < axis)
        {
            return _unitTouched[a];
        }

        if (a > axis)
        {
            return Histogram.Single(Axes[a].Touched(0, Axes[a].Out));
        }

        if (_cutTouched.TryGetValue((a, extent), out Histogram? cached))
        {
            return cached;
        }

        OutputAxis ax = Axes[a];
        Histogram h;
        if (ax is { Kernel: 1, Stride: 1, PadBegin: 0 } && ax.In == ax.Out)
        {
            // A gemm's M (and the batch axis): each output row reads its own input row.
            h = Histogram.Blocks(ax.Out, extent);
        }
        else
        {
            h = new Histogram();
            for (long first = 0; first < ax.Out; first += extent)
            {
                h.Add(ax.Touched(first, Math.Min(first + extent, ax.Out)), 1);
            }
        }

        _cutTouched[(a, extent)] = h;
        return h;
    }
}
