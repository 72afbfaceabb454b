using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's MatMulScaleFusion (core/optimizer/matmul_scale_fusion.cc, the last level-2 fusion on CPU): a float MatMul (or
/// com.microsoft FusedMatMul) fed by, or whose single reader is, a Mul or Div by a constant fp32 scalar becomes one
/// com.microsoft FusedMatMul whose alpha is the product of the scales (fp32, inputs first, then the output), a Div
/// contributing the fp32 reciprocal 1f / d. A scalar here has one element and no more dims than the other operand; an
/// input-side scale also needs the scaled operand's shape known and of rank ≥ 1. The MLAS SGEMM then writes acc·alpha,
/// which equals the unfused (acc)/d only when 1/d is exact. Scalars of other types (double, integers) are not fused here.
/// </summary>
public sealed class MatMulScaleFusion : IGraphPass
{
    public string Name => "matmul-scale-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(node))
            {
                continue;
            }

            bool isMatMul = FusionPatterns.Is(node, "MatMul");
            bool isFused = node.OpType == "FusedMatMul" && node.NormalizedDomain == GeluFusion.MsDomain;
            if ((!isMatMul && !isFused) || node.Inputs.Length < 2
                || !node.Inputs.Take(2).All(i => graph.TypeOf(i) is DataType.Float or DataType.Double))
            {
                continue;
            }

            var shapes = new SymbolicShapes(graph);
            var inputMerges = new List<(Node Scale, float Value, string Unscaled, int Slot)>();
            for (int slot = 0; slot < node.Inputs.Length; slot++)
            {
                Node? p = graph.Producer(node.Inputs[slot]);
                if (p is null || Scale(graph, shapes, p) is not (float value, int scaleIndex))
                {
                    continue;
                }

                string unscaled = p.Inputs[1 - scaleIndex];
                if (shapes.Of(unscaled) is not { Length: > 0 })
                {
                    continue;
                }

                inputMerges.Add((p, value, unscaled, slot));
            }

            (Node Scale, float Value)? outputMerge = null;
            if (FusionPatterns.HasOutputEdges(graph, node, 1) && FusionPatterns.OnlyConsumer(graph, node) is { } reader
                && Scale(graph, shapes, reader) is (float v, _))
            {
                outputMerge = (reader, v);
            }

            if (inputMerges.Count == 0 && outputMerge is null)
            {
                continue;
            }

            float alpha = isFused && node.Attributes.TryGetValue("alpha", out var a0) ? a0.Float : 1f;
            foreach (var m in inputMerges)
            {
                alpha *= m.Value;
            }

            if (outputMerge is { } om)
            {
                alpha *= om.Value;
            }

            var attributes = (isFused ? node.Attributes : ImmutableDictionary<string, AttributeValue>.Empty)
                .SetItem("alpha", new AttributeValue(AttributeKind.Float) { Float = alpha });
            ImmutableArray<string> inputs = node.Inputs;
            foreach (var m in inputMerges)
            {
                inputs = inputs.SetItem(m.Slot, m.Unscaled);
            }

            ImmutableArray<string> outputs = outputMerge is { } o ? o.Scale.Outputs : node.Outputs;
            var fused = new Node(graph.FreshName(node.Name + "/MatMulScaleFusion/"), "FusedMatMul", GeluFusion.MsDomain, inputs, outputs, attributes);
            var removed = new List<Node> { node };
            if (outputMerge is { } om2)
            {
                removed.Add(om2.Scale);
            }

            FusionPatterns.Replace(graph, removed, fused);
            foreach (var m in inputMerges)
            {
                // A scale node read elsewhere stays.
                if (graph.Nodes.Contains(m.Scale) && FusionPatterns.OutputEdgeCount(graph, m.Scale) == 0 && !graph.IsGraphOutput(m.Scale.Outputs[0]))
                {
                    graph.Remove(m.Scale);
                }
            }
        }
    }

    /// <summary>GetScaleFromNode: (scale, index of the scale input) when <paramref name="n"/> multiplies or divides by
    /// a constant fp32 scalar; a Div's divisor must be input 1 and yields 1f / d.</summary>
    private static (float Value, int Index)? Scale(GraphEditor graph, SymbolicShapes shapes, Node n)
    {
        if (FusionPatterns.Is(n, "Div") && n.Inputs.Length == 2)
        {
            return ScalarOf(graph, shapes, n.Inputs[1], n.Inputs[0]) is float d ? (1f / d, 1) : null;
        }

        if (FusionPatterns.Is(n, "Mul") && n.Inputs.Length == 2)
        {
            for (int i = 0; i < 2; i++)
            {
                if (ScalarOf(graph, shapes, n.Inputs[i], n.Inputs[1 - i]) is float m)
                {
                    return (m, i);
                }
            }
        }

        return null;
    }

    private static float? ScalarOf(GraphEditor graph, SymbolicShapes shapes, string value, string other)
    {
        TensorValue? t = FusionPatterns.ConstantOf(graph, value);
        int maxRank = shapes.Of(other)?.Length ?? 0;
        return t is { Type: DataType.Float, Length: 1 } && t.Rank <= maxRank ? t.Items<float>()[0] : null;
    }
}
