using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's QuickGeluFusion at level 2 (core/optimizer/quick_gelu_fusion.cc, checked against ORT 1.31): x → Sigmoid → Mul(x, ·)
/// becomes com.microsoft QuickGelu(x) with alpha 1 (SiLU, as the GenAI model builder writes the gated MLP), and
/// x → Mul(alpha) → Sigmoid → Mul(x, ·) becomes QuickGelu(x, alpha) when alpha is a scalar float constant. Sigmoid (and
/// the alpha Mul) must have that one reader and no graph output. With alpha 1 the fused kernel computes x·σ(x) with the
/// same MLAS logistic and one product, so the fusion moves no bits; with alpha ≠ 1 it rounds x·alpha the same way too.
/// </summary>
public sealed class QuickGeluFusion : IGraphPass
{
    public string Name => "quick-gelu-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node sigmoid in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(sigmoid) || !FusionPatterns.Is(sigmoid, "Sigmoid") || !FusionPatterns.HasOutputEdges(graph, sigmoid, 1)
                || graph.TypeOf(sigmoid.Inputs[0]) != DataType.Float)
            {
                continue;
            }

            string root = sigmoid.Inputs[0];
            float alpha = 1f;
            var pattern = new List<Node>();
            Node? scale = graph.Producer(root);
            if (scale is not null && FusionPatterns.Is(scale, "Mul") && scale.Inputs.Length == 2 && FusionPatterns.HasOutputEdges(graph, scale, 1))
            {
                int constIndex = ScalarIndex(graph, scale);
                if (constIndex >= 0)
                {
                    alpha = FusionPatterns.ConstantOf(graph, scale.Inputs[constIndex])!.Items<float>()[0];
                    root = scale.Inputs[1 - constIndex];
                    pattern.Add(scale);
                }
            }

            Node? mul = FusionPatterns.OnlyConsumer(graph, sigmoid);
            if (mul is null || !FusionPatterns.Is(mul, "Mul") || mul.Inputs.Length != 2)
            {
                continue;
            }

            string other = mul.Inputs[0] == sigmoid.Outputs[0] ? mul.Inputs[1] : mul.Inputs[0];
            if (other != root)
            {
                continue;
            }

            pattern.Add(sigmoid);
            pattern.Add(mul);
            var attrs = ImmutableDictionary<string, AttributeValue>.Empty.Add("alpha", new AttributeValue(AttributeKind.Float) { Float = alpha });
            var fused = new Node(graph.FreshName("QuickGelu"), "QuickGelu", GeluFusion.MsDomain, [root], mul.Outputs, attrs);
            FusionPatterns.Replace(graph, pattern, fused);
        }
    }

    /// <summary>The input slot of <paramref name="mul"/> holding a float scalar constant, or −1.</summary>
    private static int ScalarIndex(GraphEditor graph, Node mul)
    {
        for (int i = 0; i < 2; i++)
        {
            TensorValue? t = FusionPatterns.ConstantOf(graph, mul.Inputs[i]);
            if (t is not null && t.Type == DataType.Float && t.Length == 1 && t.Rank <= 1)
            {
                return i;
            }
        }

        return -1;
    }
}
