using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's NchwcTransformer (level ALL, x86-64 with AVX512F): a float Conv whose weights and bias are constant
/// initializers, and that fits <see cref="NchwcConv.Applies(int, int, int, int)"/>, runs MLAS's NCHWc kernels, whose
/// summation order differs from the NCHW im2col path; float average pools then run the NCHWc pool kernel when their
/// channels fill 16-wide blocks, and global average pools when their input is an NCHWc value. SiliconSim keeps NCHW layout and takes only the order: the node becomes
/// <c>siliconsim.NchwcConv</c> / <c>siliconsim.NchwcAveragePool</c> / <c>siliconsim.NchwcGlobalAveragePool</c>. Convs fed by a DequantizeLinear (unfused QDQ
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
            else if (node.OpType == "AveragePool" && graph.TypeOf(node.Inputs[0]) == DataType.Float && !node.Attributes.ContainsKey("dilations"))
            {
                // The channel count decides; the handler falls back to the plain kernel when the channels do not fill
                // whole blocks. Global pools are chosen by their input's layout below.
                graph.Replace(node, node with { OpType = "Nchwc" + node.OpType, Domain = Domain });
            }
        }

        FollowNchwcValues(graph);
    }

    /// <summary>
    /// Walks the NCHWc values in execution order. A float GlobalAveragePool becomes the NCHWc kernel only when its input
    /// is an NCHWc value (ORT converts global pools only then; of an NCHW value with whole blocks the plain kernel
    /// sums in another order). NchwcTransformerImpl::TransformAdd: an Add of two NCHWc values folds into a single-use NCHWc conv without a
    /// fused activation (input 0 tried first): the other operand becomes the conv's fourth input (Sum), which the
    /// kernel adds first. NCHWc values here are conv outputs and the activations ORT fuses into them (level-2
    /// ConvActivationFusion, NCHWc Relu), Adds of NCHWc values, and pools: TransformPool turns a float MaxPool or
    /// AveragePool whose channel count shape inference knows and fills 16-wide blocks into an NCHWc pool, and a global
    /// pool of an NCHWc value into an NCHWc global pool. (ResNet's first residual Add takes the stem's MaxPool output;
    /// not tracking it left the Add outside conv2 and summed in the other order.)
    /// </summary>
    private static void FollowNchwcValues(GraphEditor graph)
    {
        var nchwc = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, int[]>? shapes = null;
        foreach (Node node in graph.Nodes.ToList())
        {
            if (node.NormalizedDomain == Domain && node.OpType == "NchwcConv")
            {
                nchwc.Add(node.Outputs[0]);
            }
            else if (IsWindowPool(node) && node.Outputs.Length == 1 && graph.TypeOf(node.Inputs[0]) == DataType.Float
                && FillsNchwcBlocks(shapes ??= ChannelShapes(graph), node.Inputs[0]))
            {
                nchwc.Add(node.Outputs[0]);
            }
            else if (IsGlobalPool(node) && nchwc.Contains(node.Inputs[0]) && graph.TypeOf(node.Inputs[0]) == DataType.Float)
            {
                if (node.OpType == "GlobalAveragePool")
                {
                    graph.Replace(node, node with { OpType = "NchwcGlobalAveragePool", Domain = Domain });
                }

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

    private static bool IsWindowPool(Node node) =>
        (node.NormalizedDomain.Length == 0 && node.OpType == "MaxPool") || (node.NormalizedDomain == Domain && node.OpType == "NchwcAveragePool");

    private static bool IsGlobalPool(Node node) => node.NormalizedDomain.Length == 0 && node.OpType is "GlobalMaxPool" or "GlobalAveragePool";

    private static bool FillsNchwcBlocks(Dictionary<string, int[]> shapes, string value) =>
        shapes.TryGetValue(value, out int[]? shape) && shape.Length == 4 && shape[1] % NchwcConv.BlockSize == 0;

    /// <summary>
    /// Shapes with every symbolic input dimension bound to 1. ORT's shape inference keeps a free batch symbolic but
    /// still knows the channel count a conv or pool produces, and only the channel count is read here.
    /// </summary>
    private static Dictionary<string, int[]> ChannelShapes(GraphEditor graph)
    {
        ModelGraph g = graph.ToGraph();
        return ShapeInference.Infer(g, ShapeInference.InputShapes(g, 1));
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
