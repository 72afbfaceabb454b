using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Elementwise;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// <c>siliconsim.ArrayConv</c> / <c>siliconsim.ArrayGemm</c> (made by <see cref="LowPrecisionArrayMapping"/>): the
/// matrix op as a low-precision MAC array computes it. Inputs: X, weight codes, weight scale, [bias], [X scale],
/// [output scale, output zero point]. The weight codes and scales come straight from the model; float activations are
/// quantized per output pixel (or row) to the weight's element type with the node's scaling
/// (<see cref="OperandQuantizer"/>), fp8 activations quantized per tensor arrive as codes with their scale, and NVFP4
/// activations with a static tensor scale (input 4, calibrated) are read in their stored form: X converted once in
/// blocks of 16 channels of a pixel (16 elements of a row) under that scale (<see cref="NvFp4AxisQuantizer"/>), those
/// codes and block scales gathered into the array's blocks, the tensor scale applied after the dot product;
/// <see cref="ScaledMatMul"/> forms the dot products under <see cref="ExecutionOptions.LowPrecisionAccumulation"/>; the
/// fp32 bias is added last, then the epilogue (a fused Relu; then a fused QuantizeLinear, or the conversion to MX of a
/// value stored in MX, see <see cref="LowPrecisionArrayMapping.StoredFormats"/>).
/// <para>The reduction runs in the order of the weight's blocks: for a conv, kernel position by kernel position, and
/// within one, the input channels in blocks of the block size (ONNX blocks a conv weight along its channel axis, so a
/// block never spans kernel positions); channel counts that do not fill a block are zero-padded, which changes no
/// block maximum and no sum.</para>
/// </summary>
internal static class LowPrecisionArrayOps
{
    [OnnxOp("ArrayConv", NchwcSelection.Domain)]
    public static TensorValue[] ArrayConv(OpContext ctx)
    {
        TensorValue x = ctx.Input(0), codes = ctx.Input(1), scale = ctx.Input(2);
        TensorValue? bias = ctx.OptionalInput(3);
        (MxElementType type, BlockScaling scaling, int blockSize) = Format(ctx, codes);
        ActivationInput input = Activation(ctx, x, codes);
        if (x.Rank < 3 || codes.Rank != x.Rank)
        {
            throw new OpException($"ArrayConv needs X [N,C,...] and W of the same rank, got X {DataTypeInfo.Name(x.Type)}{x.ShapeText}, W {codes.ShapeText}");
        }

        int group = checked((int)ctx.Int("group", 1));
        int outChannels = codes.Shape[0], cg = codes.Shape[1];
        if (group <= 0 || x.Shape[1] != cg * group || outChannels % group != 0)
        {
            throw new OpException($"group {group} does not fit X {x.ShapeText} and W {codes.ShapeText}");
        }

        int[] kernel = ctx.IntsOrNull("kernel_shape") is { } ks ? [.. ks.Select(k => checked((int)k))] : [.. codes.Shape.Skip(2)];
        ConvGeometry g = ConvGeometry.Resolve(x.Shape.AsSpan(), outChannels, kernel, ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"),
            ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), group);
        int s = g.KernelSize, og = outChannels / group;
        if (input.Kind == ActivationKind.StoredNvFp4 && group > 1 && cg % NvFp4Codec.BlockSize != 0 && NvFp4Codec.BlockSize % cg != 0)
        {
            throw new OpException($"stored NVFP4 activations are blocked by 16 channels, which groups of {cg} channels straddle");
        }

        var layout = new ReductionLayout(cg, s, scaling, blockSize);
        float[] scales = scale.Items<float>();
        CheckScales(scaling, scales.Length, layout, outChannels, s);
        float[] b = Bias(bias, outChannels);
        return OpGuard.Run(() =>
        {
            byte[] wc = codes.Items<byte>();
            int[] inputIndex = InputIndex(g);
            int rows = g.Batch * g.OutSize;
            StoredNvFp4? stored = input.Kind == ActivationKind.StoredNvFp4 ? StoredNvFp4.Of(NvFp4AxisQuantizer.Quantize(x.Items<float>(), x.Shape.AsSpan(), 1, input.Scale)) : null;
            float[] y = new float[g.Batch * outChannels * g.OutSize];
            for (int gi = 0; gi < group; gi++)
            {
                ScaledOperand w = layout.Weights(type, og, o => (c, q) => wc[((((gi * og) + o) * cg) + c) * s + q],
                    o => (cb, q) => scales[((((gi * og) + o) * layout.BlocksPerPosition) + cb) * s + q],
                    o => scales.Length == 1 ? scales[0] : scales[(gi * og) + o]);
                var source = new ConvSource(inputIndex, g.OutSize, s, group, gi, cg, g.InSize);
                ScaledOperand activations = Activations(x, input, stored, rows, layout, type, scaling, source);
                float[] prod = ScaledMatMul.Compute(activations, w, ctx.Options.LowPrecisionAccumulation, ctx.Options.Parallelism);
                for (int r = 0; r < rows; r++)
                {
                    int n = r / g.OutSize, p = r % g.OutSize;
                    for (int o = 0; o < og; o++)
                    {
                        int oc = (gi * og) + o;
                        y[(((n * outChannels) + oc) * g.OutSize) + p] = prod[(r * og) + o] + b[oc];
                    }
                }
            }

            return new[] { Epilogue(ctx, TensorValue.FromFloats(g.OutputShape, y), type, g.OutSize) };
        });
    }

    [OnnxOp("ArrayGemm", NchwcSelection.Domain)]
    public static TensorValue[] ArrayGemm(OpContext ctx)
    {
        TensorValue a = ctx.Input(0), codes = ctx.Input(1), scale = ctx.Input(2);
        TensorValue? c = ctx.OptionalInput(3);
        (MxElementType type, BlockScaling scaling, int blockSize) = Format(ctx, codes);
        ActivationInput input = Activation(ctx, a, codes);
        bool transB = ctx.Int("transB", 0) != 0;
        if (a.Rank < 1 || codes.Rank != 2)
        {
            throw new OpException($"ArrayGemm needs A and a 2-D weight, got A {DataTypeInfo.Name(a.Type)}{a.ShapeText}, W {codes.ShapeText}");
        }

        int k = transB ? codes.Shape[1] : codes.Shape[0], n = transB ? codes.Shape[0] : codes.Shape[1];
        if (a.Shape[^1] != k)
        {
            throw new OpException($"A {a.ShapeText} does not fit W {codes.ShapeText}{(transB ? " (transB)" : string.Empty)}");
        }

        int rows = a.Length / k;
        var layout = new ReductionLayout(k, 1, scaling, blockSize);
        float[] scales = scale.Items<float>();
        CheckScales(scaling, scales.Length, layout, n, 1);
        float[]? cv = c?.Items<float>();
        if (cv is not null && cv.Length != 1 && cv.Length != n && cv.Length != rows * n)
        {
            throw new OpException($"C {c!.ShapeText} does not broadcast to [{rows},{n}]");
        }

        return OpGuard.Run(() =>
        {
            byte[] wc = codes.Items<byte>();
            int cb = layout.BlocksPerPosition;
            ScaledOperand w = layout.Weights(type, n, o => (kk, _) => wc[transB ? (o * k) + kk : (kk * n) + o],
                o => (bi, _) => scales[transB ? (o * cb) + bi : (bi * n) + o],
                o => scales.Length == 1 ? scales[0] : scales[o]);
            StoredNvFp4? stored = input.Kind == ActivationKind.StoredNvFp4 ? StoredNvFp4.Of(NvFp4AxisQuantizer.Quantize(a.Items<float>(), a.Shape.AsSpan(), -1, input.Scale)) : null;
            ScaledOperand activations = Activations(a, input, stored, rows, layout, type, scaling, new GemmSource(k));
            float[] y = ScaledMatMul.Compute(activations, w, ctx.Options.LowPrecisionAccumulation, ctx.Options.Parallelism);
            if (cv is not null)
            {
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] += cv.Length == 1 ? cv[0] : cv.Length == n ? cv[i % n] : cv[i];
                }
            }

            return new[] { Epilogue(ctx, TensorValue.FromFloats([.. a.Shape.Take(a.Rank - 1), n], y), type, 1) };
        });
    }

    /// <summary>
    /// The activation operand in reduction order, <paramref name="source"/>(row, channel, position) giving the flat
    /// index into X (or -1 in the padding): float activations converted by the array with the node's scaling; codes
    /// already quantized per tensor (fp8) taken as they are; or the codes and block scales of X's stored NVFP4 form
    /// (<paramref name="stored"/>: 16 channels of one pixel, or 16 elements of a row, under the static tensor scale),
    /// gathered into the array's blocks, each of which lies in one stored block.
    /// </summary>
    private static ScaledOperand Activations<TSource>(TensorValue x, ActivationInput input, StoredNvFp4? stored, int rows, ReductionLayout layout, MxElementType type, BlockScaling scaling, TSource source)
        where TSource : struct, ISourceIndex
    {
        int depth = layout.Depth;
        if (stored is not null)
        {
            return layout.Gather(type, rows, source, stored.Tensor, stored.ScaleCodes);
        }

        if (input.Kind == ActivationKind.Codes)
        {
            float xs = input.Scale;
            byte[] codes = new byte[rows * depth];
            layout.Fill(x.Items<byte>(), codes, rows, source);
            return new ScaledOperand(type, rows, depth, Math.Max(1, depth), codes, [.. Enumerable.Repeat(1f, rows)], [.. Enumerable.Repeat(xs, rows)]);
        }

        float[] values = new float[rows * depth];
        layout.Fill(x.Items<float>(), values, rows, source);
        return OperandQuantizer.Quantize(values, rows, depth, type, scaling, layout.BlockLength);
    }

    /// <summary>
    /// How the activations arrive: float, converted by the array with the node's scaling (no input 4); float with a
    /// static NVFP4 tensor scale (input 4, NvFp4 scaling), read in their stored NVFP4 form; or quantized per tensor in
    /// the weight's fp8 type with their scale (input 4, per-row scaling).
    /// </summary>
    private static ActivationInput Activation(OpContext ctx, TensorValue x, TensorValue codes)
    {
        string scaling = ctx.String("scaling", string.Empty);
        TensorValue? scale = ctx.OptionalInput(4);
        if (x.Type == DataType.Float)
        {
            if (scale is null)
            {
                return new ActivationInput(ActivationKind.Convert, 1f);
            }

            if (scaling != nameof(BlockScaling.NvFp4) || scale is not { Type: DataType.Float, Length: 1 } || !(scale.Items<float>()[0] is > 0 and < float.PositiveInfinity))
            {
                throw new OpException("float activations with a scale (input 4) need NvFp4 scaling and a finite positive scalar float tensor scale");
            }

            return new ActivationInput(ActivationKind.StoredNvFp4, scale.Items<float>()[0]);
        }

        if (x.Type != codes.Type || scale is not { Type: DataType.Float, Length: 1 } || scaling != nameof(BlockScaling.PerRow))
        {
            throw new OpException($"activations of type {DataTypeInfo.Name(x.Type)} need the weight's type {DataTypeInfo.Name(codes.Type)}, per-row scaling and a scalar float scale as input 4");
        }

        return new ActivationInput(ActivationKind.Codes, scale.Items<float>()[0]);
    }

    /// <summary>
    /// The array's output path after the bias: the fused activation (<c>activation</c>: Relu, the same kernel as the
    /// separate op), then, with <c>store_mx</c>, the conversion to MX in which the value is stored: blocks of 32 along
    /// the channel axis, one pixel at a time (<paramref name="pixels"/> channel-strided values; 1 for a GEMM's rows); or,
    /// with an output scale and zero point (inputs 5 and 6, a fused QuantizeLinear), the quantized output.
    /// </summary>
    private static TensorValue Epilogue(OpContext ctx, TensorValue y, MxElementType type, int pixels)
    {
        string activation = ctx.String("activation", string.Empty);
        TensorValue result = activation switch
        {
            "" => y,
            "Relu" => ElementwiseKernels.Relu(y),
            _ => throw new OpException($"unknown fused activation '{activation}'"),
        };
        if (ctx.OptionalInput(5) is { } outputScale)
        {
            TensorValue zeroPoint = ctx.Input(6);
            return QuantizeLinear.Run(result, outputScale, zeroPoint, zeroPoint.Type, saturate: ctx.Int("saturate", 1) != 0);
        }

        if (ctx.Int("store_mx", 0) == 0)
        {
            return result;
        }

        float[] v = result.Items<float>();
        int channels = pixels == 1 ? result.Shape[^1] : result.Shape[1];
        float[] line = new float[channels];
        byte[] codes = new byte[channels];
        byte[] scales = new byte[MxBlockCodec.ScaleCount(channels)];
        for (int start = 0; start < v.Length; start += channels * pixels)
        {
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    line[c] = v[start + (c * pixels) + p];
                }

                MxBlockCodec.Quantize(line, type, codes, scales);
                MxBlockCodec.Dequantize(codes, scales, type, line);
                for (int c = 0; c < channels; c++)
                {
                    v[start + (c * pixels) + p] = line[c];
                }
            }
        }

        return result;
    }

    private static (MxElementType Type, BlockScaling Scaling, int BlockSize) Format(OpContext ctx, TensorValue codes)
    {
        MxElementType type = codes.Type switch
        {
            DataType.Float4E2M1 => MxElementType.Fp4E2M1,
            DataType.Float8E4M3FN => MxElementType.Fp8E4M3,
            DataType.Float8E5M2 => MxElementType.Fp8E5M2,
            _ => throw new OpException($"weight type {DataTypeInfo.Name(codes.Type)} is not a low-precision array type"),
        };
        if (!Enum.TryParse(ctx.String("scaling", string.Empty), out BlockScaling scaling))
        {
            throw new OpException($"unknown scaling '{ctx.String("scaling", string.Empty)}'");
        }

        int blockSize = checked((int)ctx.Int("block_size", 0));
        if (scaling != BlockScaling.PerRow && blockSize != OperandQuantizer.BlockSize(scaling, 0))
        {
            throw new OpException($"{scaling} scaling needs blocks of {OperandQuantizer.BlockSize(scaling, 0)}, the weight has {blockSize}");
        }

        return (type, scaling, blockSize);
    }

    private static void CheckScales(BlockScaling scaling, int count, ReductionLayout layout, int channels, int positions)
    {
        int expected = scaling == BlockScaling.PerRow ? channels : channels * layout.BlocksPerPosition * positions;
        if (count != expected && !(scaling == BlockScaling.PerRow && count == 1))
        {
            throw new OpException($"weight scale has {count} values, expected {expected}");
        }
    }

    private static float[] Bias(TensorValue? bias, int channels)
    {
        if (bias is null)
        {
            return new float[channels];
        }

        if (bias.Type != DataType.Float || bias.Length != channels)
        {
            throw new OpException($"bias must be float [{channels}], got {DataTypeInfo.Name(bias.Type)}{bias.ShapeText}");
        }

        return bias.Items<float>();
    }

    /// <summary>For output position p and kernel offset q, the flat input spatial index, or -1 in the padding.</summary>
    private static int[] InputIndex(ConvGeometry g)
    {
        int rank = g.SpatialRank, s = g.KernelSize;
        int[] index = new int[g.OutSize * s];
        for (int p = 0; p < g.OutSize; p++)
        {
            for (int q = 0; q < s; q++)
            {
                int at = 0, pr = p, qr = q;
                int[] od = new int[rank], kd = new int[rank];
                for (int d = rank - 1; d >= 0; d--)
                {
                    od[d] = pr % g.OutSpatial[d];
                    pr /= g.OutSpatial[d];
                    kd[d] = qr % g.KernelSpatial[d];
                    qr /= g.KernelSpatial[d];
                }

                for (int d = 0; d < rank && at >= 0; d++)
                {
                    int i = (od[d] * g.Strides[d]) - g.PadsBegin[d] + (kd[d] * g.Dilations[d]);
                    at = i < 0 || i >= g.InSpatial[d] ? -1 : (at * g.InSpatial[d]) + i;
                }

                index[(p * s) + q] = at;
            }
        }

        return index;
    }

    private enum ActivationKind
    {
        /// <summary>Float activations the array converts with the node's scaling.</summary>
        Convert,

        /// <summary>fp8 codes quantized per tensor, with their scale.</summary>
        Codes,

        /// <summary>Float activations stored in NVFP4 under a static tensor scale.</summary>
        StoredNvFp4,
    }

    private readonly record struct ActivationInput(ActivationKind Kind, float Scale);

    /// <summary>X in its stored NVFP4 form, with each element's block-scale code laid out like the element.</summary>
    private sealed record StoredNvFp4(NvFp4Tensor Tensor, byte[] ScaleCodes)
    {
        public static StoredNvFp4 Of(NvFp4Tensor tensor) => new(tensor, tensor.ElementBlockScaleCodes());
    }

    /// <summary>Where element (row, channel, kernel position) of the activation operand lies in X (-1: padding).</summary>
    private interface ISourceIndex
    {
        int Of(int row, int channel, int position);
    }

    /// <summary>A conv's rows are (sample, output pixel) of one group; <c>inputIndex</c> maps (pixel, kernel position)
    /// to the input pixel, -1 in the padding.</summary>
    private readonly struct ConvSource(int[] inputIndex, int outSize, int positions, int group, int groupIndex, int groupChannels, int inSize) : ISourceIndex
    {
        public int Of(int row, int channel, int position)
        {
            int at = inputIndex[((row % outSize) * positions) + position];
            return at < 0 ? -1 : (((((((row / outSize) * group) + groupIndex) * groupChannels) + channel) * inSize) + at);
        }
    }

    /// <summary>A GEMM's rows are A's rows of <c>depth</c> values.</summary>
    private readonly struct GemmSource(int depth) : ISourceIndex
    {
        public int Of(int row, int channel, int position) => (row * depth) + channel;
    }

    /// <summary>
    /// The array's reduction order: <c>Channels</c> reduction channels at each of <c>Positions</c> kernel positions.
    /// Blocked: position by position, the channels in blocks of the block size, the last padded with zeros to a whole
    /// block; a position with fewer channels than a block holds one block of just those channels (<see cref="BlockLength"/>):
    /// zero padding changes no block maximum, no code and no sum, so the array need not carry it. Per row: one block, the
    /// model's own order (channel-major, as ONNX lays out a conv weight).
    /// </summary>
    private sealed class ReductionLayout
    {
        private readonly bool _blocked;

        // For each slot of a row in reduction order, its channel (-1: padding) and kernel position.
        private readonly int[] _slotChannel;
        private readonly int[] _slotPosition;

        public ReductionLayout(int channels, int positions, BlockScaling scaling, int blockSize)
        {
            _blocked = scaling != BlockScaling.PerRow;
            BlocksPerPosition = _blocked ? (channels + blockSize - 1) / blockSize : 1;
            int perPosition = !_blocked ? channels : BlocksPerPosition == 1 ? channels : BlocksPerPosition * blockSize;
            Depth = positions * perPosition;
            BlockLength = !_blocked ? Math.Max(1, Depth) : BlocksPerPosition == 1 ? Math.Max(1, channels) : blockSize;
            _slotChannel = new int[Depth];
            _slotPosition = new int[Depth];
            for (int slot = 0; slot < Depth; slot++)
            {
                (_slotChannel[slot], _slotPosition[slot]) = !_blocked
                    ? (slot / positions, slot % positions)
                    : (slot % perPosition < channels ? slot % perPosition : -1, slot / perPosition);
            }
        }

        public int BlocksPerPosition { get; }

        /// <summary>Values per block of the operands (the last block of a position may carry zero padding).</summary>
        public int BlockLength { get; }

        public int Depth { get; }

        /// <summary>Gathers <paramref name="rows"/> rows in reduction order from <paramref name="x"/>; padding slots get
        /// 0 (or code 0, which is +0 in every low-precision type).</summary>
        public void Fill<T, TSource>(T[] x, T[] rowsOut, int rows, TSource source)
            where TSource : struct, ISourceIndex
        {
            int depth = Depth;
            for (int r = 0; r < rows; r++)
            {
                for (int slot = 0; slot < depth; slot++)
                {
                    int c = _slotChannel[slot];
                    int at = c < 0 ? -1 : source.Of(r, c, _slotPosition[slot]);
                    rowsOut[(r * depth) + slot] = at < 0 ? default! : x[at];
                }
            }
        }

        /// <summary>The weight operand: codes(o)(channel, position), blockScale(o)(block, position), rowScale(o).</summary>
        public ScaledOperand Weights(MxElementType type, int rows, Func<int, Func<int, int, byte>> code, Func<int, Func<int, int, float>> blockScale, Func<int, float> rowScale)
        {
            int depth = Depth, blocks = _blocked ? (Depth / Math.Max(1, BlockLength)) : 1;
            byte[] codes = new byte[rows * depth];
            float[] blockScales = new float[rows * blocks];
            float[] rowScales = new float[rows];
            for (int o = 0; o < rows; o++)
            {
                Func<int, int, byte> codeOf = code(o);
                for (int slot = 0; slot < depth; slot++)
                {
                    int c = _slotChannel[slot];
                    codes[(o * depth) + slot] = c < 0 ? (byte)0 : codeOf(c, _slotPosition[slot]);
                }

                if (_blocked)
                {
                    Func<int, int, float> scaleOf = blockScale(o);
                    for (int j = 0; j < blocks; j++)
                    {
                        blockScales[(o * blocks) + j] = scaleOf(j % BlocksPerPosition, j / BlocksPerPosition);
                    }

                    rowScales[o] = 1f;
                }
                else
                {
                    blockScales[o] = 1f;
                    rowScales[o] = rowScale(o);
                }
            }

            return new ScaledOperand(type, rows, depth, BlockLength, codes, blockScales, rowScales);
        }

        /// <summary>
        /// The activation operand from a tensor stored in NVFP4 (<paramref name="stored"/>): each row's codes from the
        /// stored codes (padding: code 0), each of its blocks' scale from the stored block its real elements lie in (a
        /// block of padding only: 1, which multiplies zeros), and the stored tensor scale as every row's scale.
        /// </summary>
        /// <exception cref="InvalidOperationException">a block of the array takes elements from two stored blocks of
        /// different scales (the mapping only stores NVFP4 for layouts where this cannot happen).</exception>
        public ScaledOperand Gather<TSource>(MxElementType type, int rows, TSource source, NvFp4Tensor stored, byte[] scaleCodes)
            where TSource : struct, ISourceIndex
        {
            int depth = Depth, blocks = Depth / Math.Max(1, BlockLength);
            byte[] codes = new byte[rows * depth];
            float[] blockScales = new float[rows * blocks];
            bool[] set = new bool[blocks];
            byte[] blockScaleCodes = new byte[blocks];
            for (int r = 0; r < rows; r++)
            {
                Array.Clear(set);
                for (int slot = 0; slot < depth; slot++)
                {
                    int c = _slotChannel[slot];
                    int at = c < 0 ? -1 : source.Of(r, c, _slotPosition[slot]);
                    if (at < 0)
                    {
                        continue;
                    }

                    codes[(r * depth) + slot] = stored.Codes[at];
                    int j = slot / BlockLength;

                    // E4M3 decodes distinct codes to distinct bits, so equal codes are equal scales.
                    byte scale = scaleCodes[at];
                    if (!set[j])
                    {
                        (blockScaleCodes[j], set[j]) = (scale, true);
                    }
                    else if (blockScaleCodes[j] != scale)
                    {
                        throw new InvalidOperationException($"array block {j} of row {r} spans two stored NVFP4 blocks");
                    }
                }

                for (int j = 0; j < blocks; j++)
                {
                    blockScales[(r * blocks) + j] = set[j] ? Fp8E4M3Fn.Decode(blockScaleCodes[j]) : 1f;
                }
            }

            return new ScaledOperand(type, rows, depth, BlockLength, codes, blockScales, [.. Enumerable.Repeat(stored.TensorScale, rows)]);
        }
    }
}
