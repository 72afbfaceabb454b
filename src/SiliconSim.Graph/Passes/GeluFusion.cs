using System.Collections.Immutable;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's GeluFusion at level 2 (core/optimizer/gelu_fusion.cc): the erf form of Gelu as exporters write it becomes one
/// com.microsoft Gelu. Pattern 1: x → Div(√2) → Erf → Add(1) → Mul ← Mul(x, 0.5); pattern 2: x → Div(√2) → Erf →
/// Add(1) → Mul(x, ·) → Mul(0.5). √2 may also be BERT's 1.4142099618911743; constants match within 1e-8 + 1e-5·|c|;
/// every inner node must have a single consumer and no graph output. The fused kernel rounds differently from the
/// chain (x·(1/√2) instead of x/√2, and 0.5·x first), so the fusion changes bits.
/// </summary>
public sealed class GeluFusion : IGraphPass
{
    public const string MsDomain = "com.microsoft";

    public string Name => "gelu-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node div in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(div) || !FusionPatterns.Is(div, "Div") || div.Inputs.Length != 2
                || !FusionPatterns.HasOutputEdges(graph, div, 1) || !FusionPatterns.IsFloatData(graph, div))
            {
                continue;
            }

            if (!FusionPatterns.IsScalarConstant(graph, div.Inputs[1], 1.4142099618911743f)
                && !FusionPatterns.IsScalarConstant(graph, div.Inputs[1], (float)Math.Sqrt(2.0)))
            {
                continue;
            }

            string root = div.Inputs[0];
            Node erf = FusionPatterns.OnlyConsumer(graph, div)!;
            if (!FusionPatterns.Is(erf, "Erf") || !FusionPatterns.HasOutputEdges(graph, erf, 1) || !FusionPatterns.IsFloatData(graph, erf))
            {
                continue;
            }

            Node add = FusionPatterns.OnlyConsumer(graph, erf)!;
            if (!FusionPatterns.Is(add, "Add") || add.Inputs.Length != 2 || !FusionPatterns.HasOutputEdges(graph, add, 1) || !FusionPatterns.IsFloatData(graph, add))
            {
                continue;
            }

            string one = add.Inputs[0] == erf.Outputs[0] ? add.Inputs[1] : add.Inputs[0];
            if (!FusionPatterns.IsScalarConstant(graph, one, 1.0f))
            {
                continue;
            }

            Node mul = FusionPatterns.OnlyConsumer(graph, add)!;
            if (!FusionPatterns.Is(mul, "Mul") || mul.Inputs.Length != 2 || !FusionPatterns.IsFloatData(graph, mul))
            {
                continue;
            }

            // graph_utils::FirstParentByType: the first input of the Mul produced by a Mul.
            Node? parentMul = mul.Inputs.Select(graph.Producer).FirstOrDefault(p => p is not null && p.OpType == "Mul");
            Node last;
            Node[] pattern;
            if (parentMul is not null)
            {
                // Pattern 1: the other Mul is 0.5·x.
                int rootIndex = parentMul.Inputs.IndexOf(root);
                if (!FusionPatterns.Is(parentMul, "Mul") || !FusionPatterns.HasOutputEdges(graph, parentMul, 1) || !FusionPatterns.IsFloatData(graph, parentMul)
                    || rootIndex < 0 || !FusionPatterns.IsScalarConstant(graph, parentMul.Inputs[1 - rootIndex], 0.5f))
                {
                    continue;
                }

                last = mul;
                pattern = [div, erf, add, parentMul, mul];
            }
            else
            {
                // Pattern 2: Mul(x, 1 + erf) then Mul(0.5).
                if (!FusionPatterns.HasOutputEdges(graph, mul, 1) || !mul.Inputs.Contains(root))
                {
                    continue;
                }

                Node mul2 = FusionPatterns.OnlyConsumer(graph, mul)!;
                if (!FusionPatterns.Is(mul2, "Mul") || mul2.Inputs.Length != 2)
                {
                    continue;
                }

                string half = mul2.Inputs[0] == mul.Outputs[0] ? mul2.Inputs[1] : mul2.Inputs[0];
                if (!FusionPatterns.IsScalarConstant(graph, half, 0.5f))
                {
                    continue;
                }

                last = mul2;
                pattern = [div, erf, add, mul, mul2];
            }

            var gelu = new Node(graph.FreshName("Gelu"), "Gelu", MsDomain, [root], last.Outputs, ImmutableDictionary<string, AttributeValue>.Empty);
            FusionPatterns.Replace(graph, pattern, gelu);
        }
    }
}
