using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Mapping;

/// <summary>
/// Turns a lowered <see cref="ModelGraph"/> (after <c>OrtCpuLowering.Lower</c>) into hardware work, one
/// <see cref="LayerWork"/> per node.
/// <para>Matrix ops become a <see cref="MatrixLayer"/> in SCALE-Sim's GEMM view, with MACs = output elements x the
/// reduction length of one output:</para>
/// <list type="bullet">
/// <item>Conv, ConvInteger, QLinearConv, siliconsim.NchwcConv, siliconsim.ArrayConv: M = batch x output pixels, N = Cout / group,
/// K = kernel window x Cin / group; <see cref="MatrixLayer.Groups"/> = group (depthwise: Cin groups of N = multiplier, K = window).</item>
/// <item>ConvTranspose (the col2im view, as MLAS runs it): M = batch x input pixels, N = Cout / group x kernel window,
/// K = Cin / group, Groups = group.</item>
/// <item>Gemm, QGemm, siliconsim.ArrayGemm (transA/transB), MatMul, MatMulInteger, MatMulIntegerToFloat, QLinearMatMul, com.microsoft.FusedMatMul
/// (transA/transB): [..., M, K] x [..., K, N]. When the K x N operand has no batch (weights), A's batch folds into M (one
/// GEMM against the same weights); otherwise each of the broadcast batch's matrices is a group.</item>
/// <item>com.microsoft.MatMulNBits: A [..., K] x packed K x N codes, A's batch folded into M.</item>
/// <item>com.microsoft.GroupQueryAttention: Q K^T and P V per sequence and key/value head, the group's query heads
/// stacked into M: Groups = 2 x batch x kv heads of (new tokens x group) x total tokens x head size.</item>
/// </list>
/// <para>Everything else is a <see cref="VectorLayer"/> of its <see cref="VectorOpClass"/>: pools count output elements x
/// window, reductions and normalizations their input elements, the rest their output elements. Reshape, Flatten,
/// Squeeze, Unsqueeze, Identity, Shape, Size and Constant are views or metadata in a row-major layout and move no data:
/// 0 elements. Transpose, Concat, Gather, Slice, Pad, Expand, Tile, Split, ConstantOfShape and Range copy (or write) each
/// output element once. An op type not listed is counted as elementwise over its output.</para>
/// </summary>
public static class LayerExtractor
{
    private static readonly OpTable s_ops = new();

    /// <summary>Extracts the work with shapes inferred by <see cref="ShapeInference"/> from the runtime input shapes.</summary>
    /// <exception cref="InvalidOperationException">a matrix op's operand shapes could not be inferred.</exception>
    public static LayerExtractionResult Extract(ModelGraph graph, IReadOnlyDictionary<string, int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return ExtractWithShapes(graph, ShapeInference.Infer(graph, inputShapes));
    }

    /// <summary>Extracts the work given the shape of every value (e.g. observed while running the graph), which also
    /// covers values <see cref="ShapeInference"/> has no rule for.</summary>
    /// <exception cref="InvalidOperationException">a matrix op's operand shapes are missing.</exception>
    public static LayerExtractionResult ExtractWithShapes(ModelGraph graph, IReadOnlyDictionary<string, int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(shapes);
        var types = TypeInference.Infer(graph);
        var layers = ImmutableArray.CreateBuilder<LayerWork>(graph.Nodes.Length);
        var unknown = ImmutableArray.CreateBuilder<string>();
        var ctx = new Context(graph, shapes, types);
        foreach (Node node in graph.Nodes)
        {
            LayerWork? matrix = node.OpType switch
            {
                "Conv" or "ConvInteger" or "NchwcConv" or "ArrayConv" => Conv(ctx, node, x: 0, w: 1),
                "QLinearConv" => Conv(ctx, node, x: 0, w: 3),
                "ConvTranspose" => ConvTranspose(ctx, node),
                "Gemm" => MatMul(ctx, node, a: 0, b: 1, gemmAttributes: true),
                "QGemm" => MatMul(ctx, node, a: 0, b: 3, gemmAttributes: true),
                "FusedMatMul" or "ArrayGemm" => MatMul(ctx, node, a: 0, b: 1, gemmAttributes: true),
                "MatMul" or "MatMulInteger" or "MatMulIntegerToFloat" or "DynamicQuantizeMatMul" => MatMul(ctx, node, a: 0, b: 1, gemmAttributes: false),
                "QLinearMatMul" => MatMul(ctx, node, a: 0, b: 3, gemmAttributes: false),
                "MatMulNBits" => MatMulNBits(ctx, node),
                "GroupQueryAttention" => GroupQueryAttention(ctx, node),
                _ => null,
            };
            if (matrix is not null)
            {
                layers.Add(matrix);
                continue;
            }

            (VectorLayer layer, bool known) = Vector(ctx, node);
            layers.Add(layer);
            if (!known)
            {
                unknown.Add(node.Name);
            }
        }

        return new LayerExtractionResult(layers.ToImmutable(), unknown.ToImmutable());
    }

    /// <summary>The op class <paramref name="opType"/> is costed as, and whether it is one of the listed op types
    /// (null class: a matrix op).</summary>
    internal static (VectorOpClass? Class, bool Listed) Classify(string opType) =>
        s_ops.Matrix.Contains(opType) ? (null, true)
        : s_ops.Vector.TryGetValue(opType, out var c) ? (c.Class, true)
        : (VectorOpClass.Elementwise, false);

    private static MatrixLayer Conv(Context ctx, Node node, int x, int w)
    {
        int[] xs = ctx.Shape(node, x), ws = ctx.Shape(node, w);
        int group = (int)ctx.Int(node, "group", 1);
        int[] kernel = ctx.Ints(node, "kernel_shape")?.Select(k => (int)k).ToArray() ?? ws[2..];
        ConvGeometry g = ConvGeometry.Resolve(xs, ws[0], kernel, ctx.Ints(node, "strides"), ctx.Ints(node, "dilations"), ctx.Ints(node, "pads"), ctx.Str(node, "auto_pad"), group);
        long m = (long)g.Batch * g.OutSize;
        long n = g.OutChannels / group;
        long k = (long)g.KernelSize * (g.InChannels / group);
        return ctx.Matrix(node, new GemmShape(m, n, k), group, x, w, g);
    }

    private static MatrixLayer ConvTranspose(Context ctx, Node node)
    {
        int[] xs = ctx.Shape(node, 0), ws = ctx.Shape(node, 1);
        int group = (int)ctx.Int(node, "group", 1);
        long window = ws.Skip(2).Aggregate(1L, (a, b) => a * b);
        long m = xs[0] * xs.Skip(2).Aggregate(1L, (a, b) => a * b);

        // W is [Cin, Cout / group, k...]: each input pixel's Cin / group channels scatter into Cout / group x window.
        return ctx.Matrix(node, new GemmShape(m, ws[1] * window, xs[1] / group), group, 0, 1, null);
    }

    private static MatrixLayer MatMul(Context ctx, Node node, int a, int b, bool gemmAttributes)
    {
        int[] sa = ctx.Shape(node, a), sb = ctx.Shape(node, b);
        bool transA = gemmAttributes && ctx.Int(node, "transA", 0) != 0;
        bool transB = gemmAttributes && ctx.Int(node, "transB", 0) != 0;
        int[] a2 = sa.Length == 1 ? [1, sa[0]] : sa;
        int[] b2 = sb.Length == 1 ? [sb[0], 1] : sb;
        long m = transA ? a2[^1] : a2[^2];
        long k = transA ? a2[^2] : a2[^1];
        long n = transB ? b2[^2] : b2[^1];
        long batchA = a2[..^2].Aggregate(1L, (x, y) => x * y);
        long batchB = b2[..^2].Aggregate(1L, (x, y) => x * y);
        if (batchB == 1)
        {
            return ctx.Matrix(node, new GemmShape(batchA * m, n, k), 1, a, b, null);
        }

        int[] batch = ShapeMath.Broadcast(a2.AsSpan(0, a2.Length - 2), b2.AsSpan(0, b2.Length - 2));
        return ctx.Matrix(node, new GemmShape(m, n, k), checked((int)batch.Aggregate(1L, (x, y) => x * y)), a, b, null);
    }

    /// <summary>com.microsoft.MatMulNBits: A [..., K] x the packed K x N weights (attributes K, N, bits, block_size): one
    /// GEMM with A's leading dimensions folded into M. Each block of K carries its scale and zero point (`bits` wide when
    /// packed as uint8, else the scales' type), which stream with the weight tiles: the weights' tensor is the codes
    /// with them, N rows of ceil((K x bits + blocks x (scale + zero-point bits)) / 8) bytes together.</summary>
    private static MatrixLayer MatMulNBits(Context ctx, Node node)
    {
        int[] sa = ctx.Shape(node, 0);
        long k = ctx.Int(node, "K", 0), n = ctx.Int(node, "N", 0), block = ctx.Int(node, "block_size", 0);
        long m = sa[..^1].Aggregate(1L, (x, y) => x * y);
        int bits = (int)ctx.Int(node, "bits", 4);
        DataType codes = bits == 4 ? DataType.UInt4 : DataType.UInt8;
        MatrixLayer layer = ctx.Matrix(node, new GemmShape(m, n, k), 1, 0, 1, null) with { WeightType = codes };
        if (block <= 0 || node.Inputs.Length < 3 || node.Inputs[2].Length == 0 || layer.WeightTensor is null)
        {
            return layer;
        }

        string? zeroPoints = node.Inputs.Length > 3 && node.Inputs[3].Length > 0 ? node.Inputs[3] : null;
        int zeroPointBits = zeroPoints is null ? 0 : ctx.Type(zeroPoints) == DataType.UInt8 ? bits : DataTypeInfo.BitWidth(ctx.Type(zeroPoints));
        var scales = new BlockScales(DataTypeInfo.BitWidth(ctx.Type(node.Inputs[2])) + zeroPointBits, checked((int)block));
        long blocks = (k + block - 1) / block;
        long stored = ((n * ((bits * k) + (scales.ScaleBits * blocks))) + 7) / 8;
        string[] beside = zeroPoints is null ? [ctx.Root(node.Inputs[2])] : [ctx.Root(node.Inputs[2]), ctx.Root(zeroPoints)];
        return layer with { WeightScales = scales, WeightBytes = stored, Reads = Context.WithScalesInWeights(layer.Reads, layer.WeightTensor, beside, stored) };
    }

    /// <summary>
    /// com.microsoft.GroupQueryAttention: per sequence and key/value head, the query heads that share it (stacked into M
    /// = new tokens x group) against the total sequence, twice: Q K^T (K = head size, N = total tokens) and P V (the same
    /// MACs), so Groups = 2 x batch x kv heads of M x T x head size. The K x N operand is the key/value cache (present_key,
    /// present_value: past plus new), read from past_key/past_value; the softmax rides along in the vector unit.
    /// </summary>
    private static MatrixLayer GroupQueryAttention(Context ctx, Node node)
    {
        int[] q = ctx.Shape(node, 0);
        long heads = ctx.Int(node, "num_heads", 1), kvHeads = ctx.Int(node, "kv_num_heads", 1);
        int[] present = node.Outputs.Length > 1 && ctx.TryShape(node.Outputs[1]) is { Length: 4 } p ? p
            : throw new InvalidOperationException($"node {node.Describe()}: the shape of present_key is unknown");
        long batch = q[0], tokens = q[1], total = present[2], headSize = present[3];
        int cache = node.Inputs.Length > 3 && node.Inputs[3].Length > 0 ? 3 : 0;
        MatrixLayer layer = ctx.Matrix(node, new GemmShape(tokens * (heads / kvHeads), total, headSize), checked((int)(2 * batch * kvHeads)), 0, cache, null);
        return layer with { WeightBytes = ctx.Bytes(node.Outputs[1]) + ctx.Bytes(node.Outputs[2]), WeightType = layer.InputType };
    }

    private static (VectorLayer Layer, bool Known) Vector(Context ctx, Node node)
    {
        (VectorOpClass cls, Count count) = s_ops.Vector.TryGetValue(node.OpType, out var entry) ? entry : (VectorOpClass.Elementwise, Count.Output);
        int[]? output = node.Outputs.Length > 0 ? ctx.TryShape(node.Outputs[0]) : null;
        int[]? input = node.Inputs.Length > 0 ? ctx.TryShape(node.Inputs[0]) : null;
        long? elements = count switch
        {
            Count.None => 0,
            Count.Input => input is null ? null : ShapeMath.ElementCount(input),
            Count.OutputTimesWindow => output is null ? null
                : ShapeMath.ElementCount(output) * (ctx.Ints(node, "kernel_shape")?.Aggregate(1L, (a, b) => a * b) ?? 1),
            _ => output is null ? null : ShapeMath.ElementCount(output),
        };
        var layer = new VectorLayer
        {
            Name = node.Name,
            OpType = node.OpType,
            OpClass = cls,
            Elements = elements ?? 0,
            MovesData = count != Count.None,
            InputBytes = node.Inputs.Sum(ctx.Bytes),
            OutputBytes = node.Outputs.Sum(ctx.Bytes),
            Reads = ctx.Reads(node),
            Writes = ctx.Writes(node),
        };
        return (layer, elements is not null);
    }

    private enum Count
    {
        Output,
        Input,
        OutputTimesWindow,
        None,
    }

    private sealed class OpTable
    {
        public readonly HashSet<string> Matrix = new(StringComparer.Ordinal)
        {
            "Conv", "ConvInteger", "NchwcConv", "ArrayConv", "ArrayGemm", "QLinearConv", "ConvTranspose", "Gemm", "QGemm", "FusedMatMul", "MatMul",
            "MatMulInteger", "MatMulIntegerToFloat", "QLinearMatMul", "DynamicQuantizeMatMul", "MatMulNBits", "GroupQueryAttention",
        };

        public readonly Dictionary<string, (VectorOpClass Class, Count Count)> Vector = Build();

        private static Dictionary<string, (VectorOpClass, Count)> Build()
        {
            var d = new Dictionary<string, (VectorOpClass, Count)>(StringComparer.Ordinal);
            void Add(VectorOpClass c, Count n, params string[] ops)
            {
                foreach (string op in ops)
                {
                    d.Add(op, (c, n));
                }
            }

            Add(VectorOpClass.Elementwise, Count.Output, "Add", "Sub", "Mul", "Div", "Pow", "Relu", "Clip", "Max", "Min", "Sum",
                "LeakyRelu", "QLinearAdd", "QLinearMul", "QLinearLeakyRelu", "Neg", "Abs", "Sqrt", "Reciprocal", "Round", "Mod",
                "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "Where", "Cast",
                "CastLike", "BatchNormalization");
            Add(VectorOpClass.Transcendental, Count.Output, "Exp", "Log", "Erf", "Tanh", "Sigmoid", "Gelu", "BiasGelu", "Softmax",
                "LogSoftmax", "QLinearSoftmax", "QLinearSigmoid");
            Add(VectorOpClass.Pooling, Count.OutputTimesWindow, "MaxPool", "AveragePool", "NchwcAveragePool", "QLinearAveragePool");
            Add(VectorOpClass.Reduction, Count.Input, "GlobalAveragePool", "GlobalMaxPool", "QLinearGlobalAveragePool",
                "NchwcGlobalAveragePool", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                "ReduceL2", "ReduceSumSquare", "ArgMax", "ArgMin");
            Add(VectorOpClass.Normalization, Count.Input, "LayerNormalization", "SkipLayerNormalization", "InstanceNormalization",
                "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization");

            // Decoder ops around the matrix ones (MatMulNBits and GroupQueryAttention are matrix layers).
            Add(VectorOpClass.Transcendental, Count.Output, "QuickGelu");
            Add(VectorOpClass.Elementwise, Count.Output, "RotaryEmbedding");
            Add(VectorOpClass.Quantize, Count.Output, "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "TRT_FP4DynamicQuantize");
            Add(VectorOpClass.DataMovement, Count.None, "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Shape", "Size", "Constant");
            Add(VectorOpClass.DataMovement, Count.Output, "Transpose", "Concat", "Gather", "Slice", "Pad", "Expand", "Tile",
                "Split", "ConstantOfShape", "Range");
            return d;
        }
    }

    private sealed class Context(ModelGraph graph, IReadOnlyDictionary<string, int[]> shapes, Dictionary<string, DataType> types)
    {
        public int[]? TryShape(string name) => name.Length > 0 && shapes.TryGetValue(name, out var s) ? s : null;

        public int[] Shape(Node node, int input) =>
            input < node.Inputs.Length && TryShape(node.Inputs[input]) is { } s ? s
            : throw new InvalidOperationException($"node {node.Describe()}: the shape of input {input} is unknown; pass the shape of every value (e.g. observed from GraphExecutor.Run)");

        private readonly IReadOnlyDictionary<string, StoredFormat> _stored = LowPrecisionArrayMapping.StoredFormats(graph);

        private readonly IReadOnlyDictionary<string, long> _weightScaleBytes = LowPrecisionArrayMapping.WeightScaleBytes(graph);

        public DataType Type(string name) => types.TryGetValue(name, out var t) ? t : DataType.Undefined;

        /// <summary>The element type a value is stored in: its own, or the element type of the block format (OCP MX,
        /// NVFP4) the accelerator keeps it in between low-precision array layers
        /// (<see cref="LowPrecisionArrayMapping.StoredFormats"/>).</summary>
        public DataType StorageType(string name) => _stored.TryGetValue(name, out var f) ? f.ElementType : Type(name);

        /// <summary>Bytes of a value as stored (<see cref="StorageBytes"/>): its elements packed at their width, plus,
        /// in a block format, one scale per block; an array op's weight scales at the width their format gives them
        /// (<see cref="LowPrecisionArrayMapping.WeightScaleBytes"/>).</summary>
        public long Bytes(string name)
        {
            if (_weightScaleBytes.TryGetValue(name, out long scaleBytes))
            {
                return scaleBytes;
            }

            int[]? s = TryShape(name);
            DataType t = StorageType(name);
            if (s is null || t is DataType.Undefined or DataType.String)
            {
                return 0;
            }

            return _stored.TryGetValue(name, out StoredFormat? format) ? StorageBytes.Of(format, s) : StorageBytes.Of(t, ShapeMath.ElementCount(s));
        }

        public MatrixLayer Matrix(Node node, GemmShape gemm, int groups, int a, int b, ConvGeometry? conv) => new()
        {
            Name = node.Name,
            OpType = node.OpType,
            Gemm = gemm,
            Groups = groups,
            InputType = StorageType(node.Inputs[a]),
            WeightType = Type(node.Inputs[b]),
            OutputType = StorageType(node.Outputs[0]),
            InputScales = Scales(_stored.GetValueOrDefault(node.Inputs[a])),
            OutputScales = Scales(_stored.GetValueOrDefault(node.Outputs[0])),
            InputBytes = Bytes(node.Inputs[a]),
            // An array op's weight scales (input 2) belong to its weights: the array reads them beside the codes.
            WeightBytes = Bytes(node.Inputs[b]) + (LowPrecisionInput(node) && node.Inputs.Length > 2 ? Bytes(node.Inputs[2]) : 0),
            WeightScales = WeightScales(node, b),
            OutputBytes = node.Outputs.Sum(Bytes),
            WeightIsConstant = graph.Initializers.ContainsKey(node.Inputs[b]),
            Conv = conv,
            Reads = WeightScales(node, b) is null ? Reads(node) : WithScalesInWeights(Reads(node), Root(node.Inputs[b]), [Root(node.Inputs[2])]),
            Writes = Writes(node),
            InputTensor = Root(node.Inputs[a]),
            WeightTensor = Root(node.Inputs[b]),
        };

        /// <summary>
        /// The block scales of an array op's MX or NVFP4 weights (blocked along K, an E8M0 or E4M3 byte a block): they
        /// are stored at the format's width (<see cref="LowPrecisionArrayMapping.WeightScaleBytes"/>) and travel with
        /// the codes tile by tile. Null for anything else.
        /// </summary>
        private BlockScales? WeightScales(Node node, int b) =>
            !LowPrecisionInput(node) || b != 1 || node.Inputs.Length < 3 || !_weightScaleBytes.ContainsKey(node.Inputs[2]) ? null
            : Str(node, "scaling") switch
            {
                nameof(BlockScaling.Mx) or nameof(BlockScaling.NvFp4) => new BlockScales(8, (int)Int(node, "block_size", 0)),
                _ => null,
            };

        /// <summary>The scales of a value stored in a block format: one <see cref="StoredFormat.BlockScaleType"/> per
        /// block.</summary>
        private static BlockScales? Scales(StoredFormat? format) =>
            format is null ? null : new BlockScales(DataTypeInfo.BitWidth(format.BlockScaleType), format.BlockSize);

        /// <summary>The reads with the weights' scales (and zero points) counted in the weights' tensor, which the tiles
        /// stream: <paramref name="storedBytes"/> when given, else the sum of the parts.</summary>
        public static ImmutableArray<TensorUse> WithScalesInWeights(ImmutableArray<TensorUse> reads, string weights, string[] scales, long? storedBytes = null)
        {
            long total = storedBytes ?? reads.Where(r => r.Name == weights || scales.Contains(r.Name)).Sum(r => r.Bytes);
            return [.. reads.Where(r => !scales.Contains(r.Name)).Select(r => r.Name == weights ? r with { Bytes = total } : r)];
        }

        /// <summary>
        /// The tensor a value is stored in: a view's output (Reshape, Flatten, Squeeze, Unsqueeze, Identity) is its input
        /// under another shape, so the memory plan sees one tensor with every reader of both names.
        /// </summary>
        public string Root(string name)
        {
            while (_aliases.TryGetValue(name, out string? source))
            {
                name = source;
            }

            return name;
        }

        /// <summary>The distinct tensors <paramref name="node"/> reads, by root, with their origin and stored bytes.</summary>
        public ImmutableArray<TensorUse> Reads(Node node)
        {
            var reads = ImmutableArray.CreateBuilder<TensorUse>();
            foreach (string input in node.Inputs)
            {
                if (input.Length == 0)
                {
                    continue;
                }

                string root = Root(input);
                if (reads.Any(r => r.Name == root))
                {
                    continue;
                }

                TensorOrigin origin = graph.Initializers.ContainsKey(root) ? TensorOrigin.Constant
                    : _graphInputs.Contains(root) ? TensorOrigin.GraphInput : TensorOrigin.Activation;
                reads.Add(new TensorUse(root, Bytes(root), origin, _graphOutputRoots.Contains(root)));
            }

            return reads.ToImmutable();
        }

        /// <summary>The tensors <paramref name="node"/> writes; none for a view, whose output is its input's storage.</summary>
        public ImmutableArray<TensorUse> Writes(Node node) => IsView(node.OpType)
            ? []
            : [.. node.Outputs.Where(o => o.Length > 0).Select(o => new TensorUse(o, Bytes(o), TensorOrigin.Activation, _graphOutputRoots.Contains(o)))];

        private static bool IsView(string opType) => opType is "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Identity";

        private readonly Dictionary<string, string> _aliases = BuildAliases(graph);

        private readonly HashSet<string> _graphInputs = [.. graph.Inputs.Select(i => i.Name)];

        private readonly HashSet<string> _graphOutputRoots = GraphOutputRoots(graph);

        private static Dictionary<string, string> BuildAliases(ModelGraph graph)
        {
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Node node in graph.Nodes)
            {
                if (IsView(node.OpType) && node.Inputs.Length > 0 && node.Inputs[0].Length > 0 && node.Outputs.Length > 0 && node.Outputs[0].Length > 0)
                {
                    aliases[node.Outputs[0]] = node.Inputs[0];
                }
            }

            return aliases;
        }

        private static HashSet<string> GraphOutputRoots(ModelGraph graph)
        {
            Dictionary<string, string> aliases = BuildAliases(graph);
            var roots = new HashSet<string>(StringComparer.Ordinal);
            foreach (var output in graph.Outputs)
            {
                string name = output.Name;
                while (aliases.TryGetValue(name, out string? source))
                {
                    name = source;
                }

                roots.Add(name);
            }

            return roots;
        }

        private static bool LowPrecisionInput(Node node) => LowPrecisionArrayMapping.IsArrayOp(node);

        public long Int(Node node, string name, long fallback) =>
            node.Attributes.TryGetValue(name, out var v) && v.Kind == AttributeKind.Int ? v.Int : fallback;

        public long[]? Ints(Node node, string name) =>
            node.Attributes.TryGetValue(name, out var v) && v.Kind == AttributeKind.Ints ? [.. v.Ints] : null;

        public string Str(Node node, string name) =>
            node.Attributes.TryGetValue(name, out var v) && v.Kind == AttributeKind.String ? v.String ?? "NOTSET" : "NOTSET";
    }
}
