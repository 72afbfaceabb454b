using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The rewrites ONNX Runtime's x86-64 CPU provider applies to a quantized graph before it runs, in ORT's order, so that
/// executing the result with SiliconSim's kernels gives ORT's bits. QOperator graphs pass through unchanged (R4);
/// ORT's layout rewrites (NCHWc, NHWC) keep NCHW here: only where they change the summation order (float NCHWc convs and pools) is that order taken.
/// </summary>
public static class OrtCpuLowering
{
    /// <summary>Level 1 (ORT_ENABLE_BASIC), in graph_transformer_utils.cc's order. ORT repeats the level until a
    /// round changes nothing, which is how a weight quantized by one round is folded to an initializer by the next.</summary>
    public static IReadOnlyList<IGraphPass> BasicPasses { get; } =
    [
        new DoubleQdqPairsRemover(),
        new ConstantFolding(),
        new MatMulAddFusion(),
        new ReshapeFusion(),
        new QdqPropagation(),
        new WeightBiasQuantization(),
        new EnsureUniqueDequantize(),
    ];

    /// <summary>Level 2 (ORT_ENABLE_EXTENDED): the rewrite rules first, then S8→U8 and the node-unit fusion with its
    /// DQ → MatMul/Gemm → MatMulNBits rule (one transformer in ORT, the rule tried after the QDQ MatMul/Gemm rules), then the
    /// dynamic-quantization fusions (MatMulIntegerToFloat, DynamicQuantizeMatMul) and the float transformer fusions
    /// GeluFusion, BiasGeluFusion, SkipLayerNormFusion, QuickGeluFusion and MatMulScaleFusion, in graph_transformer_utils.cc's order.</summary>
    public static IReadOnlyList<IGraphPass> ExtendedPasses { get; } =
    [
        new ClipQuantFusion(),
        new ReluQuantFusion(),
        new QdqS8ToU8(),
        new FuseQdqNodeUnits(),
        new DqMatMulToMatMulNBits(),
        new MatMulIntegerToFloatFusion(),
        new DynamicQuantizeMatMulFusion(),
        new GeluFusion(),
        new BiasGeluFusion(),
        new SkipLayerNormFusion(),
        new QuickGeluFusion(),
        new MatMulScaleFusion(),
    ];

    /// <summary>Level 3 (ORT_ENABLE_ALL): the NCHWc kernel choice for float convs with constant weights.</summary>
    public static IReadOnlyList<IGraphPass> AllPasses { get; } = [new NchwcSelection()];

    /// <summary>Every pass in the order ORT runs them.</summary>
    public static IReadOnlyList<IGraphPass> Passes { get; } = [.. BasicPasses, .. ExtendedPasses, .. AllPasses];

    /// <summary>ORT's GraphTransformerManager stops repeating a level after this many rounds.</summary>
    private const int MaxRounds = 10;

    /// <summary>Applies the passes ORT applies at <paramref name="level"/> and returns the lowered graph.</summary>
    /// <param name="graph">The imported model.</param>
    /// <param name="level">ORT's graph optimisation level the goldens were made at; ORT's default, and the goldens',
    /// is <see cref="OrtOptimizationLevel.All"/>.</param>
    /// <param name="observer">Told after every pass; null for none. Whatever it is, <see cref="GraphVerifier"/> runs
    /// after every pass and a pass that breaks the graph throws <see cref="PassVerificationException"/>.</param>
    /// <param name="budget">What a folded constant may take; null: <see cref="MemoryBudget.Default"/>.</param>
    /// <exception cref="MemoryBudgetException">constant folding would make a tensor over <paramref name="budget"/>; the
    /// message names the node.</exception>
    public static ModelGraph Lower(ModelGraph graph, OrtOptimizationLevel level = OrtOptimizationLevel.All, ILoweringObserver? observer = null, MemoryBudget? budget = null)
    {
        var editor = new GraphEditor(graph, budget);
        var verifier = new PassVerifier(editor, observer);

        // InferenceSession runs EnsureUniqueDQForNodeUnit once before the level-1 transformers.
        Apply(new EnsureUniqueDequantize(), editor, verifier);
        ApplyUntilStable(editor, BasicPasses, verifier);
        if (level >= OrtOptimizationLevel.Extended)
        {
            ApplyUntilStable(editor, ExtendedPasses, verifier);
        }

        if (level == OrtOptimizationLevel.All)
        {
            foreach (IGraphPass pass in AllPasses)
            {
                Apply(pass, editor, verifier);
            }
        }

        return verifier.Finish(editor);
    }

    private static void Apply(IGraphPass pass, GraphEditor editor, PassVerifier verifier)
    {
        pass.Apply(editor);
        verifier.After(pass.Name, editor);
    }

    private static void ApplyUntilStable(GraphEditor editor, IReadOnlyList<IGraphPass> passes, PassVerifier verifier)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            // A round that made no change at all is stable without comparing; one that did is compared by its
            // fingerprint (op types and edges), as before, so a round that only changed attributes still ends the level.
            long version = editor.Version;
            Node[] before = [.. editor.Nodes];
            foreach (IGraphPass pass in passes)
            {
                Apply(pass, editor, verifier);
            }

            if (editor.Version == version || Fingerprint(editor.Nodes) == Fingerprint(before))
            {
                return;
            }
        }
    }

    private static string Fingerprint(IEnumerable<Node> nodes) =>
        string.Join('\n', nodes.Select(n => $"{n.OpType}|{string.Join(',', n.Inputs)}|{string.Join(',', n.Outputs)}"));
}
