using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// The whole-tile vectors of one tile of a <see cref="TilePlan"/>: what a kernel that runs one tile at a time reads and
/// writes around its folds. Each tile gets its raw input region <c>tTTTT_input</c> (the box of the stored input it
/// reads), its bias slice <c>_bias</c>, its per-channel requantization slices (<c>_scale</c>, <c>_w_zero_point</c>,
/// and <c>_m0</c>, <c>_shift</c> under the fixed-point requantizer), its int32 accumulators <c>_acc</c> after its K
/// range (bias included, so the tiles ending K hold the layer's accumulators) and, for a tile that ends the K
/// reduction, its requantized outputs <c>_output</c>. Channel slices are [g, col] and output blocks [g, row, col]
/// with their origin in the layer's GEMM ([group, row, col]); the input region's origin is its first element's index
/// in the stored input.
/// </summary>
internal sealed class TileTensors(MatrixOperands o, TensorValue? input)
{
    private readonly Dictionary<int, int[]> _accumulatorsThrough = [];
    private int[]? _outputs;
    private readonly FixedPointMultiplier[]? _fixedPoint = o.Numerics.Requantizer == RequantizerArithmetic.FixedPoint ? o.FixedPointMultipliers() : null;
    private readonly int[]? _inputCodes = input is not null && StoresIntCodes(input.Type) ? TensorCodes.Ints(input) : null;

    /// <summary>Adds the vectors of the tile of groups [g0, g0 + gCount) over one block of the GEMM.</summary>
    public void Add(ImmutableArray<VectorTensor>.Builder result, int tile, int g0, int gCount, int m0, int mCount, int n0, int nCount, int k0, int kCount)
    {
        string stem = string.Create(CultureInfo.InvariantCulture, $"t{tile:D4}");
        if (InputRegion(g0, gCount, m0, mCount, k0, kCount) is { } box)
        {
            int[] shape = [.. box.Select(b => b.Count)];
            TensorValue region = LayerVectorBuilder.Codes(input!.Type, shape, Box(_inputCodes!, [.. input.Shape], box));
            result.Add(new VectorTensor($"{stem}_input", VectorRole.Input, region, LayerVectorBuilder.AxesFor(shape.Length), "the box of the stored input the tile reads (its receptive field, clipped to the input), in the input's layout") { Tile = tile, Origin = [.. box.Select(b => (long)b.Start)] });
        }

        result.Add(Channels($"{stem}_bias", VectorRole.Bias, DataType.Int32, o.Bias, g0, gCount, n0, nCount, "[g, col]: the bias of the tile's output channels") with { Tile = tile, Origin = [g0, n0] });
        result.Add(Channels($"{stem}_scale", VectorRole.Requantization, DataType.Float, o.Scales, g0, gCount, n0, nCount, "[g, col]: fp32 requantization scale of the tile's output channels") with { Tile = tile, Origin = [g0, n0] });
        result.Add(Channels($"{stem}_w_zero_point", VectorRole.Requantization, DataType.Int32, o.WZeroPoints, g0, gCount, n0, nCount, "[g, col]: weight zero point of the tile's output channels") with { Tile = tile, Origin = [g0, n0] });
        if (_fixedPoint is { } fp)
        {
            result.Add(Channels($"{stem}_m0", VectorRole.Requantization, DataType.Int32, fp.Select(f => f.Multiplier).ToArray(), g0, gCount, n0, nCount, "[g, col]: Q0.31 significand M0 of the tile's output channels") with { Tile = tile, Origin = [g0, n0] });
            result.Add(Channels($"{stem}_shift", VectorRole.Requantization, DataType.Int32, fp.Select(f => f.Shift).ToArray(), g0, gCount, n0, nCount, "[g, col]: power-of-two shift of the tile's output channels") with { Tile = tile, Origin = [g0, n0] });
        }

        int kEnd = k0 + kCount;
        if (!_accumulatorsThrough.TryGetValue(kEnd, out int[]? acc))
        {
            acc = o.AccumulatorsThrough(kEnd);
            _accumulatorsThrough[kEnd] = acc;
        }

        int[] shape3 = [gCount, mCount, nCount];
        result.Add(new VectorTensor($"{stem}_acc", VectorRole.Accumulator, TensorValue.Create(DataType.Int32, shape3, Block(acc, g0, gCount, m0, mCount, n0, nCount, (g, m, n) => (((g * o.M) + m) * o.N) + n)), ["g", "row", "col"], $"[g, row, col]: int32 accumulators after k < {kEnd} (bias included; {o.Numerics})") { Tile = tile, Origin = [g0, m0, n0] });
        if (kEnd == o.K)
        {
            _outputs ??= TensorCodes.Ints(o.Requantize(o.ToOutputLayout(o.GemmAccumulators())));
            int[] y = Block(_outputs, g0, gCount, m0, mCount, n0, nCount, o.OutputIndex);
            result.Add(new VectorTensor($"{stem}_output", VectorRole.Output, LayerVectorBuilder.Codes(o.OutputType, shape3, y), ["g", "row", "col"], "[g, row, col]: the tile's requantized outputs") { Tile = tile, Origin = [g0, m0, n0] });
        }
    }

    private VectorTensor Channels<T>(string name, VectorRole role, DataType type, T[] perChannel, int g0, int gCount, int n0, int nCount, string layout)
    {
        var slice = new T[gCount * nCount];
        for (int g = 0; g < gCount; g++)
        {
            Array.Copy(perChannel, ((g0 + g) * o.N) + n0, slice, g * nCount, nCount);
        }

        return new VectorTensor(name, role, TensorValue.Create(type, [gCount, nCount], slice), ["g", "col"], layout);
    }

    private static int[] Block(int[] source, int g0, int gCount, int m0, int mCount, int n0, int nCount, Func<int, int, int, int> index)
    {
        var block = new int[gCount * mCount * nCount];
        for (int g = 0; g < gCount; g++)
        {
            for (int i = 0; i < mCount; i++)
            {
                for (int j = 0; j < nCount; j++)
                {
                    block[(((g * mCount) + i) * nCount) + j] = source[index(g0 + g, m0 + i, n0 + j)];
                }
            }
        }

        return block;
    }

    /// <summary>
    /// The box of the stored input the tile reads, one (start, count) per input dimension; null without an input. A
    /// gemm reads rows [m0, m0 + mCount) and columns [k0, k0 + kCount) (swapped under transA). A conv reads the images
    /// and the input channels of its rows and K range (k = channel of the group · taps + tap) and, per spatial axis,
    /// the receptive field of its output pixels clipped to the input.
    /// </summary>
    private (int Start, int Count)[]? InputRegion(int g0, int gCount, int m0, int mCount, int k0, int kCount)
    {
        if (_inputCodes is null)
        {
            return null;
        }

        if (o.Conv is not { } c)
        {
            return o.TransposedA ? [(k0, kCount), (m0, mCount)] : [(m0, mCount), (k0, kCount)];
        }

        int plane = c.OutSize, taps = c.KernelSize, perGroup = c.InChannels / c.Group;
        int image0 = m0 / plane, imageLast = (m0 + mCount - 1) / plane;
        int channel0 = (g0 * perGroup) + (k0 / taps), channelLast = ((g0 + gCount - 1) * perGroup) + ((k0 + kCount - 1) / taps);
        var box = new (int, int)[2 + c.SpatialRank];
        box[0] = (image0, imageLast - image0 + 1);
        box[1] = (channel0, channelLast - channel0 + 1);
        int[] lo = [.. c.OutSpatial], hi = new int[c.SpatialRank];
        Array.Fill(hi, -1);
        for (int m = m0; m < m0 + mCount; m++)
        {
            int p = m % plane;
            for (int d = c.SpatialRank - 1; d >= 0; d--)
            {
                int at = p % c.OutSpatial[d];
                p /= c.OutSpatial[d];
                lo[d] = Math.Min(lo[d], at);
                hi[d] = Math.Max(hi[d], at);
            }
        }

        for (int d = 0; d < c.SpatialRank; d++)
        {
            int first = Math.Max(0, (lo[d] * c.Strides[d]) - c.PadsBegin[d]);
            int last = Math.Min(c.InSpatial[d] - 1, (hi[d] * c.Strides[d]) - c.PadsBegin[d] + ((c.KernelSpatial[d] - 1) * c.Dilations[d]));
            box[2 + d] = (Math.Min(first, c.InSpatial[d]), Math.Max(0, last - first + 1));
        }

        return box;
    }

    /// <summary>The elements of a box of a row-major tensor, row-major.</summary>
    private static int[] Box(int[] codes, int[] shape, (int Start, int Count)[] box)
    {
        int total = box.Aggregate(1, (p, b) => p * b.Count);
        var result = new int[total];
        var index = new int[shape.Length];
        for (int flat = 0; flat < total; flat++)
        {
            int rest = flat, source = 0;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = box[d].Start + (rest % box[d].Count);
                rest /= box[d].Count;
            }

            for (int d = 0; d < shape.Length; d++)
            {
                source = (source * shape[d]) + index[d];
            }

            result[flat] = codes[source];
        }

        return result;
    }

    // LayerVectorBuilder.Codes rebuilds sbyte, byte and int storage; other inputs get no per-tile region.
    private static bool StoresIntCodes(DataType type)
    {
        Type storage = DataTypeInfo.StorageType(type);
        return storage == typeof(sbyte) || storage == typeof(byte) || storage == typeof(int);
    }
}
