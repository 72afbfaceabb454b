using System.Collections.Immutable;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's DynamicQuantizeMatMulFusion (core/optimizer/dynamic_quantize_matmul_fusion.cc, level 2, after
/// <see cref="MatMulIntegerToFloatFusion"/>): a MatMulIntegerToFloat with constant B, B_scale (and B_zp, bias when given)
/// whose A comes from a DynamicQuantizeLinear read by nothing else (its three outputs have three readers in all) becomes
/// com.microsoft DynamicQuantizeMatMul(X, B, B_scale, B_zp, bias). A DynamicQuantizeLinear shared by several MatMuls (the
/// Q, K, V projections of one input) stays, and its MatMuls stay MatMulIntegerToFloat.
/// </summary>
public sealed class DynamicQuantizeMatMulFusion : IGraphPass
{
    public string Name => "dynamic-quantize-matmul-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(node) || node.OpType != "MatMulIntegerToFloat" || node.NormalizedDomain != GeluFusion.MsDomain
                || node.Inputs.Length < 4 || !graph.IsConstant(node.Inputs[1]) || !graph.IsConstant(node.Inputs[3]))
            {
                continue;
            }

            string bZp = node.Inputs.Length >= 6 ? node.Inputs[5] : string.Empty;
            string bias = node.Inputs.Length >= 7 ? node.Inputs[6] : string.Empty;
            if ((bZp.Length > 0 && !graph.IsConstant(bZp)) || (bias.Length > 0 && !graph.IsConstant(bias)))
            {
                continue;
            }

            Node? dql = MatMulIntegerToFloatFusion.FirstParent(graph, node, "DynamicQuantizeLinear");
            if (dql is null || !FusionPatterns.HasOutputEdges(graph, dql, 3))
            {
                continue;
            }

            var fused = new Node(graph.FreshName("DynamicQuantizeMatMul"), "DynamicQuantizeMatMul", GeluFusion.MsDomain,
                [dql.Inputs[0], node.Inputs[1], node.Inputs[3], bZp, bias], node.Outputs, ImmutableDictionary<string, AttributeValue>.Empty);
            FusionPatterns.Replace(graph, [dql, node], fused);
        }
    }
}
