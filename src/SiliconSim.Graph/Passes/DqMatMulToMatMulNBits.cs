using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's DQMatMulToMatMulNBits rule (qdq_selector_action_transformer.cc, qdq_selectors.cc, qdq_actions.cc; level 2, in
/// the same QDQSelectorActionTransformer as <see cref="FuseQdqNodeUnits"/>, where a MatMul or Gemm is offered to the
/// QDQ MatMul/Gemm rules first): a float activation times a DequantizeLinear of constant 4- or 8-bit weights becomes
/// com.microsoft MatMulNBits, which at accuracy level 4 quantizes the activation per block to int8. What ORT 1.31.1 takes:
/// <list type="bullet">
/// <item>a MatMul whose only DQ input is B, or a Gemm with alpha 1, transA 0, transB 0 whose DQ inputs are B and
/// optionally C (C, if any, must be [N] with beta 1; it becomes MatMulNBits' bias); no output read by a
/// QuantizeLinear;</item>
/// <item>the DQ read by that one input slot only (not a graph output), its weight int4, uint4, int8 or uint8, rank 2
/// and constant, its scale float or float16 and constant, its zero point (if any) constant;</item>
/// <item>blocked along K (block_size &gt; 0, axis given as 0, block size a power of two in [16, 256], scale and zero
/// point [⌈K/bs⌉, N]), or per tensor (scalar scale and zero point), or per column (scale and zero point [N], axis absent
/// or 1; -1 is refused), the last two with block size <see cref="DefaultNonBlockwiseBlockSize"/>;</item>
/// <item>the weight and the scale read by no other node (ORT PR 28326, which guards against a tied-embedding crash): a
/// DQ that EnsureUniqueDQForNodeUnit duplicated never qualifies, as its copies share them; a shared zero point is
/// fine.</item>
/// </list>
/// The rewrite stores B transposed as [N, ⌈K/bs⌉, bs·bits/8] bytes (element k of a block at byte k·bits/8, low nibble
/// first; signed weights shifted by 2^(bits−1) to unsigned), the scales as [N·⌈K/bs⌉] and the zero points as uint8
/// [N·⌈⌈K/bs⌉·bits/8⌉] (shifted likewise; all zero for an unsigned weight without them; absent for a signed weight
/// without them, whose default 2^(bits−1) is then exact). Rows past K are padded with the stored form of 0.
/// </summary>
/// <param name="accuracyLevel">The session option session.qdq_matmulnbits_accuracy_level: ORT's default is 4.</param>
public sealed class DqMatMulToMatMulNBits(int accuracyLevel = DqMatMulToMatMulNBits.DefaultAccuracyLevel) : IGraphPass
{
    /// <summary>ORT 1.31's default for session.qdq_matmulnbits_accuracy_level (onnxruntime_session_options_config_keys.h).</summary>
    public const int DefaultAccuracyLevel = 4;

    /// <summary>The block size given to per-tensor and per-column DQs: session.qdq_matmulnbits_block_size's default
    /// (0) means 32.</summary>
    public const int DefaultNonBlockwiseBlockSize = 32;

    /// <summary>Smallest blocked-DQ block size the selector takes.</summary>
    private const int MinBlockSize = 16;

    /// <summary>Largest blocked-DQ block size ORT 1.31.1 takes (ORT PR 31678: MLAS's QNBitGemm takes 16 to 256; 512 is
    /// observed to stay a DQ, 256 to be rewritten).</summary>
    private const int MaxBlockSize = 256;

    /// <summary>ORT compares Gemm's alpha and beta with 1 within this.</summary>
    private const float GemmUnitTolerance = 1e-6f;

    public string Name => "dq-matmul-to-matmulnbits";

    /// <summary>The accuracy_level written on every MatMulNBits this pass makes.</summary>
    public int AccuracyLevel { get; } = accuracyLevel is >= 0 and <= 4
        ? accuracyLevel
        : throw new ArgumentOutOfRangeException(nameof(accuracyLevel), accuracyLevel, "MatMulNBits accuracy level must be between 0 and 4");

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        SymbolicShapes? shapes = null;
        foreach (Node node in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(node) || !(FusionPatterns.Is(node, "MatMul") || FusionPatterns.Is(node, "Gemm")))
            {
                continue;
            }

            Node? dq = SelectWeightDq(graph, node);
            if (dq is null || (node.OpType == "Gemm" && !IsPlainGemm(graph, node, dq, shapes ??= new SymbolicShapes(graph))))
            {
                continue;
            }

            if (Describe(graph, dq) is WeightDq weight)
            {
                Rewrite(graph, node, dq, weight);
            }
        }
    }

    /// <summary>DQMatMulNodeGroupSelector's shape of the unit: the DQ feeding B, alone (MatMul) or with one feeding C
    /// (Gemm), read by nothing else, and no Q after the target.</summary>
    private static Node? SelectWeightDq(GraphEditor graph, Node target)
    {
        var dqParents = target.Inputs.Where(i => i.Length > 0).Select(graph.Producer)
            .Where(p => p is not null && FusionPatterns.Is(p, "DequantizeLinear")).Distinct().ToList();
        int allowed = target.OpType == "Gemm" ? 2 : 1;
        if (dqParents.Count == 0 || dqParents.Count > allowed || target.Inputs.Length < 2)
        {
            return null;
        }

        Node? weightDq = graph.Producer(target.Inputs[1]);
        if (weightDq is null || !dqParents.Contains(weightDq) || !FusionPatterns.HasOutputEdges(graph, weightDq, 1))
        {
            return null;
        }

        if (dqParents.Count == 2)
        {
            Node biasDq = dqParents.First(p => p != weightDq)!;
            if (target.Inputs.Length < 3 || target.Inputs[2].Length == 0 || graph.Producer(target.Inputs[2]) != biasDq)
            {
                return null;
            }
        }

        bool feedsQ = target.Outputs.Where(o => o.Length > 0).SelectMany(o => graph.Consumers(o)).Any(c => FusionPatterns.Is(c.Node, "QuantizeLinear"));
        return feedsQ ? null : weightDq;
    }

    /// <summary>ValidateGemmForDQMatMulNBits: the Gemm is a MatMul plus an optional [N] bias.</summary>
    private static bool IsPlainGemm(GraphEditor graph, Node gemm, Node weightDq, SymbolicShapes shapes)
    {
        if (Math.Abs(FloatAttr(gemm, "alpha", 1f) - 1f) > GemmUnitTolerance || IntAttr(gemm, "transA", 0) != 0 || IntAttr(gemm, "transB", 0) != 0)
        {
            return false;
        }

        if (gemm.Inputs.Length < 3 || gemm.Inputs[2].Length == 0)
        {
            return true;
        }

        if (Math.Abs(FloatAttr(gemm, "beta", 1f) - 1f) > GemmUnitTolerance)
        {
            return false;
        }

        int?[]? weight = FusionPatterns.ConstantOf(graph, weightDq.Inputs[0]) is { } w ? [.. w.Shape.Select(d => (int?)d)] : shapes.Of(weightDq.Inputs[0]);
        int?[]? bias = FusionPatterns.ConstantOf(graph, gemm.Inputs[2]) is { } b ? [.. b.Shape.Select(d => (int?)d)] : shapes.Of(gemm.Inputs[2]);
        return weight is { Length: 2 } && weight[1] is int n && bias is { Length: 1 } && bias[0] == n;
    }

    /// <summary>The DQ's constants and quantization granularity, or null when ValidateDQForMatMulNBits (or the
    /// shared-initializer guard) refuses it.</summary>
    private static WeightDq? Describe(GraphEditor graph, Node dq)
    {
        string scaleName = dq.Inputs[1];
        string zpName = dq.Inputs.Length > 2 ? dq.Inputs[2] : string.Empty;
        DataType scaleType = graph.TypeOf(scaleName);
        if (scaleType is not (DataType.Float or DataType.Float16) || Bits(graph.TypeOf(dq.Inputs[0])) == 0)
        {
            return null;
        }

        TensorValue? weight = FusionPatterns.ConstantOf(graph, dq.Inputs[0]);
        TensorValue? scale = FusionPatterns.ConstantOf(graph, scaleName);
        TensorValue? zp = FusionPatterns.ConstantOf(graph, zpName);
        if (weight is not { Rank: 2 } || scale is null || (zpName.Length > 0 && zp is null))
        {
            return null;
        }

        if (ReaderNodes(graph, dq.Inputs[0]) != 1 || ReaderNodes(graph, scaleName) != 1)
        {
            return null;
        }

        int k = weight.Shape[0], n = weight.Shape[1];
        long blockSize = IntAttr(dq, "block_size", 0);
        if (blockSize > 0)
        {
            bool axisZero = dq.Attributes.TryGetValue("axis", out var axis) && axis.Int == 0;
            bool sizeTaken = blockSize is >= MinBlockSize and <= MaxBlockSize && (blockSize & (blockSize - 1)) == 0;
            int blocks = (int)((k + blockSize - 1) / blockSize);
            bool shapesMatch = HasShape(scale, blocks, n) && (zp is null || HasShape(zp, blocks, n));
            return axisZero && sizeTaken && shapesMatch ? new WeightDq(weight, scale, zp, (int)blockSize, Granularity.Blocked) : null;
        }

        if (scale.Rank == 0)
        {
            return zp is null || zp.Rank == 0 ? new WeightDq(weight, scale, zp, DefaultNonBlockwiseBlockSize, Granularity.PerTensor) : null;
        }

        // DQ's axis defaults to 1; ORT compares the attribute with 1 as written, so an explicit -1 is refused.
        bool perColumnAxis = !dq.Attributes.TryGetValue("axis", out var a) || a.Int == 1;
        return HasShape(scale, n) && perColumnAxis && (zp is null || HasShape(zp, n))
            ? new WeightDq(weight, scale, zp, DefaultNonBlockwiseBlockSize, Granularity.PerColumn)
            : null;
    }

    private void Rewrite(GraphEditor graph, Node target, Node dq, WeightDq w)
    {
        var packed = MatMulNBitsPacking.Pack(w.Weight, w.Scale, w.ZeroPoint, w.BlockSize, w.Granularity);
        string b = graph.FreshName(dq.Inputs[0] + "_T");
        string scales = graph.FreshName(dq.Inputs[1] + "_T");
        graph.SetInitializer(b, packed.Weight);
        graph.SetInitializer(scales, packed.Scales);
        var inputs = new List<string> { target.Inputs[0], b, scales };
        if (packed.ZeroPoints is not null)
        {
            string zp = graph.FreshName((dq.Inputs.Length > 2 && dq.Inputs[2].Length > 0 ? dq.Inputs[2] : "fused_DQ_MatMul_zero_point") + "_T");
            graph.SetInitializer(zp, packed.ZeroPoints);
            inputs.Add(zp);
        }

        if (target.OpType == "Gemm" && target.Inputs.Length > 2 && target.Inputs[2].Length > 0)
        {
            // MatMulNBits' inputs: A, B, scales, zero_points, g_idx, bias.
            while (inputs.Count < 5)
            {
                inputs.Add(string.Empty);
            }

            inputs.Add(target.Inputs[2]);
        }

        var attributes = ImmutableDictionary<string, AttributeValue>.Empty
            .Add("K", IntValue(w.Weight.Shape[0]))
            .Add("N", IntValue(w.Weight.Shape[1]))
            .Add("bits", IntValue(Bits(w.Weight.Type)))
            .Add("block_size", IntValue(w.BlockSize))
            .Add("accuracy_level", IntValue(AccuracyLevel));
        graph.Replace(target, new Node(graph.FreshName("MatMulNBits"), "MatMulNBits", GeluFusion.MsDomain, [.. inputs], [target.Outputs[0]], attributes));
        graph.Remove(dq);
    }

    /// <summary>DQWeightBits: the weight types the rule takes; 0 for any other (ORT 1.31 has no 2-bit DequantizeLinear).</summary>
    private static int Bits(DataType t) => t switch
    {
        DataType.Int4 or DataType.UInt4 => 4,
        DataType.Int8 or DataType.UInt8 => 8,
        _ => 0,
    };

    /// <summary>Graph::GetConsumerNodes' count: nodes, not input slots.</summary>
    private static int ReaderNodes(GraphEditor graph, string value) => graph.Consumers(value).Select(c => c.Node).Distinct().Count();

    private static bool HasShape(TensorValue t, params int[] dims) => t.Shape.AsSpan().SequenceEqual(dims);

    private static long IntAttr(Node node, string name, long fallback) => node.Attributes.TryGetValue(name, out var v) ? v.Int : fallback;

    private static float FloatAttr(Node node, string name, float fallback) => node.Attributes.TryGetValue(name, out var v) ? v.Float : fallback;

    private static AttributeValue IntValue(long value) => new(AttributeKind.Int) { Int = value };

    private sealed record WeightDq(TensorValue Weight, TensorValue Scale, TensorValue? ZeroPoint, int BlockSize, Granularity Granularity);
}
