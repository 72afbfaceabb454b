using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's SkipLayerNormFusion (core/optimizer/skip_layer_norm_fusion.cc, level 2 after BiasGeluFusion): a float
/// LayerNormalization whose input is Add(a, b), where a and b are 3-D with the same static shape (ORT also accepts the
/// same symbolic batch dim, which this pass does not track), becomes com.microsoft SkipLayerNormalization(a, b, gamma,
/// beta[, bias]); when a or b is itself Add(x, constant 1-D bias of the hidden size), that Add folds in as the bias
/// (formats 1 and 2). Each Add must have one reader and no graph output. The fused kernel sums and normalises in its own
/// order (see SkipLayerNormKernel), so the fusion changes bits.
/// </summary>
public sealed class SkipLayerNormFusion : IGraphPass
{
    public string Name => "skip-layer-norm-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        SymbolicShapes? shapes = null;
        foreach (Node ln in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(ln) || !FusionPatterns.Is(ln, "LayerNormalization") || ln.Inputs.Length < 2
                || !ln.Inputs.Where(i => i.Length > 0).All(i => graph.TypeOf(i) == DataType.Float))
            {
                continue;
            }

            Node? add1 = graph.Producer(ln.Inputs[0]);
            if (add1 is null || !FusionPatterns.Is(add1, "Add") || add1.Inputs.Length != 2)
            {
                continue;
            }

            shapes ??= new SymbolicShapes(graph);
            if (!CheckFirstAdd(graph, shapes, add1))
            {
                continue;
            }

            // Format 1: input 0 of Add1 comes from Add2 with a constant bias; format 2: input 1 does; format 3: neither.
            ImmutableArray<string> inputs = [add1.Inputs[0], add1.Inputs[1], ln.Inputs[1], ln.Inputs.Length > 2 ? ln.Inputs[2] : string.Empty];
            var pattern = new List<Node> { add1, ln };
            for (int slot = 0; slot < 2; slot++)
            {
                if (graph.Producer(add1.Inputs[slot]) is { } add2 && FusionPatterns.Is(add2, "Add") && add2.Inputs.Length == 2 && CheckSecondAdd(graph, shapes, add2))
                {
                    inputs = inputs.SetItem(slot, add2.Inputs[0]).Add(add2.Inputs[1]);
                    pattern.Insert(0, add2);
                    break;
                }
            }

            var attributes = ImmutableDictionary<string, AttributeValue>.Empty.Add(
                "epsilon", ln.Attributes.TryGetValue("epsilon", out var eps) ? eps : new AttributeValue(AttributeKind.Float) { Float = 1e-12f });
            var fused = new Node(graph.FreshName("SkipLayerNormalization"), "SkipLayerNormalization", GeluFusion.MsDomain, inputs, ln.Outputs, attributes);
            FusionPatterns.Replace(graph, pattern, fused);
            shapes = null;
        }
    }

    private static bool CheckFirstAdd(GraphEditor graph, SymbolicShapes shapes, Node add)
    {
        if (!FusionPatterns.HasOutputEdges(graph, add, 1) || !add.Inputs.All(i => graph.TypeOf(i) == DataType.Float))
        {
            return false;
        }

        int?[]? a = shapes.Of(add.Inputs[0]);
        int?[]? b = shapes.Of(add.Inputs[1]);
        return a is { Length: 3 } && b is { Length: 3 } && Enumerable.Range(0, 3).All(i => a[i] is not null && a[i] == b[i]);
    }

    /// <summary>The second Add: one reader, a 3-D first input and a constant 1-D second input of the hidden size.</summary>
    private static bool CheckSecondAdd(GraphEditor graph, SymbolicShapes shapes, Node add)
    {
        if (!FusionPatterns.HasOutputEdges(graph, add, 1) || !graph.IsConstant(add.Inputs[1]) || !add.Inputs.All(i => graph.TypeOf(i) == DataType.Float))
        {
            return false;
        }

        int?[]? a = shapes.Of(add.Inputs[0]);
        int?[]? b = shapes.Of(add.Inputs[1]);
        return a is { Length: 3 } && b is { Length: 1 } && a[2] is not null && a[2] == b[0];
    }
}
