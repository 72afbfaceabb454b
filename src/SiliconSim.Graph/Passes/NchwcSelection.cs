using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's NchwcTransformer (level ALL, x86-64 with AVX512F): a float Conv whose weights and bias are constant
/// initializers, and that fits <see cref="NchwcConv.Applies(int, int, int, int)"/>, runs MLAS's NCHWc kernels, whose
/// summation order differs from the NCHW im2col path; float average pools then run the NCHWc pool kernel when their
/// channels fill 16-wide blocks. SiliconSim keeps NCHW layout and takes only the order: the node becomes
/// <c>siliconsim.NchwcConv</c> / <c>siliconsim.NchwcAveragePool</c>. Convs fed by a DequantizeLinear (unfused QDQ
/// units) have non-constant weights and keep the NCHW path, as in ORT.
/// </summary>
public sealed class NchwcSelection : IGraphPass
{
    /// <summary>The domain of the ORT-internal kernels SiliconSim models; not an ONNX domain.</summary>
    public const string Domain = "siliconsim";

    public string Name => "nchwc-selection";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (node.NormalizedDomain.Length != 0)
            {
                continue;
            }

            if (node.OpType == "Conv" && IsNchwcConv(graph, node))
            {
                graph.Replace(node, node with { OpType = "NchwcConv", Domain = Domain });
            }
            else if (node.OpType is "GlobalAveragePool" or "AveragePool" && graph.TypeOf(node.Inputs[0]) == DataType.Float
                && !node.Attributes.ContainsKey("dilations"))
            {
                // The channel count decides, and it is known only at run time; the handler falls back to the plain
                // kernel when the channels do not fill whole blocks.
                graph.Replace(node, node with { OpType = "Nchwc" + node.OpType, Domain = Domain });
            }
        }
    }

    private static bool IsNchwcConv(GraphEditor graph, Node conv)
    {
        TensorValue? w = graph.Constant(conv.Inputs[1]);
        bool biasOk = conv.Inputs.Length < 3 || conv.Inputs[2].Length == 0 || graph.IsConstant(conv.Inputs[2]);
        if (w is null || w.Type != DataType.Float || !biasOk || graph.TypeOf(conv.Inputs[0]) != DataType.Float || w.Rank < 3)
        {
            return false;
        }

        int group = conv.Attributes.TryGetValue("group", out var g) ? (int)g.Int : 1;
        return NchwcConv.Applies(w.Shape[1] * group, w.Shape[0], group, w.Rank - 2);
    }
}
