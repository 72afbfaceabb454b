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

        FuseAdds(graph);
    }

    /// <summary>
    /// NchwcTransformerImpl::TransformAdd: an Add of two NCHWc values folds into a single-use NCHWc conv without a
    /// fused activation (input 0 tried first): the other operand becomes the conv's fourth input (Sum), which the
    /// kernel adds first. NCHWc values here are conv outputs and the activations ORT fuses into them (level-2
    /// ConvActivationFusion, NCHWc Relu), and Adds of NCHWc values; pools are not tracked (their channel count is
    /// known only at run time).
    /// </summary>
    private static void FuseAdds(GraphEditor graph)
    {
        var nchwc = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (node.NormalizedDomain == Domain && node.OpType == "NchwcConv")
            {
                nchwc.Add(node.Outputs[0]);
            }
            else if (node.NormalizedDomain.Length == 0 && node.OpType is "Relu" or "Clip" or "Sigmoid" or "Tanh" or "LeakyRelu" or "HardSigmoid"
                && nchwc.Contains(node.Inputs[0]) && (node.OpType == "Relu" || IsSingleUseConv(graph, node.Inputs[0])))
            {
                nchwc.Add(node.Outputs[0]);
            }
            else if (node.NormalizedDomain.Length == 0 && node.OpType == "Add" && node.Inputs.Length == 2 && node.Inputs.All(nchwc.Contains))
            {
                nchwc.Add(node.Outputs[0]);
                for (int n = 0; n < 2; n++)
                {
                    if (IsSingleUseConv(graph, node.Inputs[n]) && graph.Producer(node.Inputs[n]) is { Inputs.Length: < 4 } conv)
                    {
                        string[] inputs = [.. conv.Inputs, .. Enumerable.Repeat(string.Empty, 3 - conv.Inputs.Length), node.Inputs[n ^ 1]];
                        // The fused conv takes the Add's place: the Sum operand may be computed after the conv.
                        graph.Replace(node, conv with { Inputs = [.. inputs], Outputs = [node.Outputs[0]] });
                        graph.Remove(conv);
                        break;
                    }
                }
            }
        }
    }

    private static bool IsSingleUseConv(GraphEditor graph, string value) =>
        graph.Producer(value) is { OpType: "NchwcConv" } p && p.NormalizedDomain == Domain && graph.Consumers(value).Count == 1 && !graph.IsGraphOutput(value);

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
