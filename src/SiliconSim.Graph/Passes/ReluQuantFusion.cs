using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's ReluQuantFusion (level 2 rewrite rule, optimizer/qdq_transformer/relu_quantizelinear.cc): a Relu read only by
/// a QuantizeLinear whose zero point is the type's minimum (uint8 0, int8 -128) is removed, since the Q's saturation
/// already clips at 0. It runs before S8→U8, so the zero point is judged as the model wrote it. No value changes, but
/// the Conv/Gemm before it now ends in a Q and fuses (QLinearConv instead of float Conv → Relu). Checked against ORT
/// 1.31: uint8 128 and int8 0 keep the Relu.
/// </summary>
public sealed class ReluQuantFusion : IGraphPass
{
    public string Name => "relu-quant-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node relu in graph.Nodes.Where(n => n.OpType == "Relu" && n.NormalizedDomain.Length == 0).ToList())
        {
            Node? q = SoleQuantizeReader(graph, relu);
            if (q is null || q.Inputs.Length != 3 || QdqMatch.ConstantOf(graph, q.Inputs[1]) is null)
            {
                continue;
            }

            TensorValue? zp = QdqMatch.ConstantOf(graph, q.Inputs[2]);
            bool atMinimum = zp is { Length: 1 } && zp.Type switch
            {
                DataType.UInt8 => zp.Items<byte>()[0] == 0,
                DataType.Int8 => zp.Items<sbyte>()[0] == sbyte.MinValue,
                _ => false,
            };
            if (atMinimum)
            {
                Bypass(graph, relu, q);
            }
        }
    }

    /// <summary>The QuantizeLinear that alone reads <paramref name="node"/>'s output (not a graph output).</summary>
    internal static Node? SoleQuantizeReader(GraphEditor graph, Node node)
    {
        string output = node.Outputs[0];
        var readers = graph.Consumers(output);
        return !graph.IsGraphOutput(output) && readers.Count == 1 && QdqMatch.IsQ(graph, readers[0].Node) && readers[0].Slot == 0
            ? readers[0].Node : null;
    }

    /// <summary>Removes a single-input activation, the Q reading its input directly.</summary>
    internal static void Bypass(GraphEditor graph, Node activation, Node q)
    {
        graph.Replace(q, q with { Inputs = q.Inputs.SetItem(0, activation.Inputs[0]) });
        graph.Remove(activation);
    }
}
