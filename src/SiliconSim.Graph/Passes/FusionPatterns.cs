using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The graph queries ORT's fusion transformers share (core/optimizer/utils.cc, graph_utils.cc), over a
/// <see cref="GraphEditor"/>: constant values (initializers, and Constant nodes, which ORT's level-1 constant folding
/// turns into initializers before any level-2 fusion looks), output-edge counts, and scalar-constant tests.
/// </summary>
internal static class FusionPatterns
{
    /// <summary>The constant value of <paramref name="value"/>: an initializer or the output of a Constant node.</summary>
    public static TensorValue? ConstantOf(GraphEditor graph, string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (graph.Constant(value) is { } init)
        {
            return init;
        }

        Node? producer = graph.Producer(value);
        if (producer is null || producer.OpType != "Constant" || producer.NormalizedDomain.Length != 0)
        {
            return null;
        }

        var a = producer.Attributes;
        if (a.TryGetValue("value", out var v) && v.Tensor is not null)
        {
            return v.Tensor;
        }

        if (a.TryGetValue("value_float", out var f))
        {
            return TensorValue.Scalar(DataType.Float, f.Float);
        }

        return a.TryGetValue("value_int", out var i) ? TensorValue.Scalar(DataType.Int64, i.Int) : null;
    }

    /// <summary>
    /// optimizer_utils::IsInitializerWithExpectedValue for floats: a constant scalar (rank 0 or shape [1]) within
    /// 1e-8 + 1e-5·|expected| of <paramref name="expected"/>.
    /// </summary>
    public static bool IsScalarConstant(GraphEditor graph, string value, float expected)
    {
        TensorValue? t = ConstantOf(graph, value);
        if (t is null || !(t.Rank == 0 || (t.Rank == 1 && t.Shape[0] == 1)))
        {
            return false;
        }

        double v = t.Type switch
        {
            DataType.Float => t.Items<float>()[0],
            DataType.Double => t.Items<double>()[0],
            DataType.Float16 => (double)t.Items<Half>()[0],
            _ => double.NaN,
        };
        return Math.Abs(v - expected) <= 1e-8 + (1e-5 * Math.Abs(expected));
    }

    /// <summary>
    /// optimizer_utils::CheckOutputEdges: the node produces no graph output and its outputs are read by exactly
    /// <paramref name="edges"/> input slots.
    /// </summary>
    public static bool HasOutputEdges(GraphEditor graph, Node node, int edges) =>
        !node.Outputs.Any(o => o.Length > 0 && graph.IsGraphOutput(o))
        && node.Outputs.Where(o => o.Length > 0).Sum(o => graph.Consumers(o).Count) == edges;

    /// <summary>The number of input slots reading the node's outputs.</summary>
    public static int OutputEdgeCount(GraphEditor graph, Node node) => node.Outputs.Where(o => o.Length > 0).Sum(o => graph.Consumers(o).Count);

    /// <summary>True for an op of the default domain with this type.</summary>
    public static bool Is(Node node, string opType) => node.OpType == opType && node.NormalizedDomain.Length == 0;

    /// <summary>True when every input of <paramref name="node"/> is float, float16 or double (the types ORT's
    /// Gelu/MatMul fusions accept), as far as the types are known.</summary>
    public static bool IsFloatData(GraphEditor graph, Node node) =>
        node.Inputs.Where(i => i.Length > 0).All(i => graph.TypeOf(i) is DataType.Float or DataType.Float16 or DataType.Double);

    /// <summary>The single consumer node of the node's first output, or null when it has none or several.</summary>
    public static Node? OnlyConsumer(GraphEditor graph, Node node)
    {
        var consumers = graph.Consumers(node.Outputs[0]);
        return consumers.Count == 1 ? consumers[0].Node : null;
    }

    /// <summary>
    /// graph_utils::FinalizeNodeFusion: the pattern's nodes are removed and the fused node stands where the last of
    /// them stood: its inputs were the pattern's inputs, so they are computed earlier, and the readers of its outputs
    /// come later, so the order stays topological.
    /// </summary>
    public static void Replace(GraphEditor graph, IReadOnlyList<Node> pattern, Node fused)
    {
        int at = pattern.Select(n => graph.Nodes.IndexOf(n)).Max();
        graph.Nodes.Insert(at + 1, fused);
        foreach (Node n in pattern)
        {
            graph.Remove(n);
        }
    }
}
