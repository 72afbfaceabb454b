using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's ReshapeFusion (level 1, optimizer/reshape_fusion.cc), the subset that dynamic-batch exports produce: a Reshape
/// whose target is a Concat (read only by it) of constant int64/int32 initializers and of
/// Shape(root) → Gather(i) → Unsqueeze(axes 0) chains, where root is the Reshape's own input and i the position the
/// chain fills, gets the constant target with 0 ("copy this dimension") at those positions. One other one-element chain
/// may stand for -1. Changes no value; it removes the shape computation ORT no longer runs. The Div/Mul and
/// Shape → Slice → Squeeze one-element paths of ORT's matcher are not modelled.
/// </summary>
public sealed class ReshapeFusion : IGraphPass
{
    public string Name => "reshape-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node reshape in graph.Nodes.Where(n => n.OpType == "Reshape" && n.NormalizedDomain.Length == 0).ToList())
        {
            if (reshape.Inputs.Length < 2 || graph.Producer(reshape.Inputs[1]) is not { OpType: "Concat" } concat
                || graph.IsGraphOutput(concat.Outputs[0]) || graph.Consumers(concat.Outputs[0]).Count != 1)
            {
                continue;
            }

            var target = new List<long>();
            bool ok = true;
            foreach (string input in concat.Inputs)
            {
                if (QdqMatch.ConstantOf(graph, input) is { Type: DataType.Int64 or DataType.Int32 } c)
                {
                    target.AddRange(c.Type == DataType.Int64 ? c.Items<long>() : c.Items<int>().Select(v => (long)v));
                }
                else if (ShapeDimChain(graph, input, reshape.Inputs[0]) is long index)
                {
                    target.Add(index == target.Count ? 0 : -1);
                }
                else
                {
                    ok = false;
                    break;
                }
            }

            if (!ok || target.Count(v => v == -1) > 1)
            {
                continue;
            }

            graph.SetInitializer(concat.Outputs[0], TensorValue.Create(DataType.Int64, [target.Count], target.ToArray()));
            ConstantFolding.RemoveWithDeadProducers(graph, concat);
        }
    }

    /// <summary>The Gather index of a Shape(<paramref name="root"/>) → Gather(constant one-element index) →
    /// Unsqueeze(axes [0]) chain ending in <paramref name="value"/>, each link read once; null otherwise.</summary>
    private static long? ShapeDimChain(GraphEditor graph, string value, string root)
    {
        if (graph.Producer(value) is not { OpType: "Unsqueeze" } unsqueeze || !SoleUse(graph, value) || !AxesAreZero(graph, unsqueeze)
            || graph.Producer(unsqueeze.Inputs[0]) is not { OpType: "Gather" } gather || !SoleUse(graph, unsqueeze.Inputs[0])
            || graph.Producer(gather.Inputs[0]) is not { OpType: "Shape" } shape || !SoleUse(graph, gather.Inputs[0])
            || shape.Inputs[0] != root || QdqMatch.ConstantOf(graph, gather.Inputs[1]) is not { Length: 1, Type: DataType.Int64 } index)
        {
            return null;
        }

        return index.Items<long>()[0];
    }

    private static bool AxesAreZero(GraphEditor graph, Node unsqueeze)
    {
        if (unsqueeze.Attributes.TryGetValue("axes", out var a))
        {
            return a.Ints is [0];
        }

        return unsqueeze.Inputs.Length > 1 && QdqMatch.ConstantOf(graph, unsqueeze.Inputs[1]) is { Length: 1, Type: DataType.Int64 } t && t.Items<long>()[0] == 0;
    }

    private static bool SoleUse(GraphEditor graph, string value) => !graph.IsGraphOutput(value) && graph.Consumers(value).Count == 1;
}
