using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The rewrites ONNX Runtime's x86-64 CPU provider applies to a quantized graph before it runs, in ORT's order, so that
/// executing the result with SiliconSim's kernels gives ORT's bits. QOperator graphs pass through unchanged (R4);
/// layout-only rewrites ORT also makes (NCHWc, NHWC) change no value and are not modelled (R5).
/// </summary>
public static class OrtCpuLowering
{
    /// <summary>The passes in the order ORT runs them: level 1 (unique DQ), then level 2 (S8→U8, node-unit fusion).</summary>
    public static IReadOnlyList<IGraphPass> Passes { get; } =
    [
        new EnsureUniqueDequantize(),
        new QdqS8ToU8(),
        new FuseQdqNodeUnits(),
    ];

    /// <summary>Applies every pass and returns the lowered graph.</summary>
    public static ModelGraph Lower(ModelGraph graph)
    {
        var editor = new GraphEditor(graph);
        foreach (IGraphPass pass in Passes)
        {
            pass.Apply(editor);
        }

        return editor.ToGraph();
    }
}
