using System.Collections.Immutable;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's BiasGeluFusion (core/optimizer/bias_gelu_fusion.cc, level 2, after <see cref="GeluFusion"/>): an Add whose
/// only reader is a com.microsoft Gelu becomes one com.microsoft BiasGelu(X, bias) when shape inference proves both Add
/// inputs have a static, equal last dimension and one of them is 1-D (that one becomes the bias). The fused kernel adds
/// the bias and evaluates Gelu in one pass with BiasGelu's own rounding (see BiasGeluKernel).
/// </summary>
public sealed class BiasGeluFusion : IGraphPass
{
    public string Name => "bias-gelu-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        SymbolicShapes? shapes = null;
        foreach (Node add in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(add) || !FusionPatterns.Is(add, "Add") || add.Inputs.Length != 2 || !FusionPatterns.HasOutputEdges(graph, add, 1))
            {
                continue;
            }

            Node gelu = FusionPatterns.OnlyConsumer(graph, add)!;
            if (gelu.OpType != "Gelu" || gelu.NormalizedDomain != GeluFusion.MsDomain)
            {
                continue;
            }

            shapes ??= new SymbolicShapes(graph);
            int?[]? s0 = shapes.Of(add.Inputs[0]);
            int?[]? s1 = shapes.Of(add.Inputs[1]);
            if (s0 is null || s1 is null || s0.Length < 1 || s1.Length < 1 || s0[^1] is null || s0[^1] != s1[^1])
            {
                continue;
            }

            ImmutableArray<string> inputs;
            if (s0.Length == 1)
            {
                inputs = [add.Inputs[1], add.Inputs[0]];
            }
            else if (s1.Length == 1)
            {
                inputs = [add.Inputs[0], add.Inputs[1]];
            }
            else
            {
                continue;
            }

            var fused = new Node(graph.FreshName("BiasGelu"), "BiasGelu", GeluFusion.MsDomain, inputs, gelu.Outputs, ImmutableDictionary<string, AttributeValue>.Empty);
            FusionPatterns.Replace(graph, [add, gelu], fused);
        }
    }
}
