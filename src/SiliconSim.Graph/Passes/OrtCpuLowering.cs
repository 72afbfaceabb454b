using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The rewrites ONNX Runtime's x86-64 CPU provider applies to a quantized graph before it runs, in ORT's order, so that
/// executing the result with SiliconSim's kernels gives ORT's bits. QOperator graphs pass through unchanged (R4);
/// ORT's layout rewrites (NCHWc, NHWC) keep NCHW here: only where they change the summation order (float NCHWc convs and pools) is that order taken.
/// </summary>
public static class OrtCpuLowering
{
    /// <summary>The passes in the order ORT runs them: level 1 (unique DQ), level 2 (S8→U8, node-unit fusion, then the
    /// float fusions GeluFusion, BiasGeluFusion, MatMulScaleFusion in graph_transformer_utils.cc order), level 3 (the
    /// NCHWc kernel choice for float convs with constant weights).</summary>
    public static IReadOnlyList<IGraphPass> Passes { get; } =
    [
        new EnsureUniqueDequantize(),
        new QdqS8ToU8(),
        new FuseQdqNodeUnits(),
        new GeluFusion(),
        new BiasGeluFusion(),
        new MatMulScaleFusion(),
        new NchwcSelection(),
    ];

    /// <summary>Applies the passes ORT applies at <paramref name="level"/> and returns the lowered graph.</summary>
    /// <param name="graph">The imported model.</param>
    /// <param name="level">ORT's graph optimisation level the goldens were made at; ORT's default, and the goldens',
    /// is <see cref="OrtOptimizationLevel.All"/>.</param>
    public static ModelGraph Lower(ModelGraph graph, OrtOptimizationLevel level = OrtOptimizationLevel.All)
    {
        var editor = new GraphEditor(graph);
        foreach (IGraphPass pass in Passes)
        {
            if (level == OrtOptimizationLevel.All || pass is not NchwcSelection)
            {
                pass.Apply(editor);
            }
        }

        return editor.ToGraph();
    }
}
