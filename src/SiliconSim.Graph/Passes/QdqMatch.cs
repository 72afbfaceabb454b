using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's QDQ::MatchQNode / MatchDQNode and QOrDQNodeHasConstantScalarScaleAndZeroPoint
/// (optimizer/qdq_transformer/qdq_util.cc), shared by the level-1 QDQ rewrites.
/// </summary>
internal static class QdqMatch
{
    /// <summary>A default-domain QuantizeLinear whose schema version ORT's QDQ rewrites know (10, 13, 19, 21: opset &lt; 23),
    /// or com.microsoft QuantizeLinear.</summary>
    public static bool IsQ(GraphEditor graph, Node node) => Is(graph, node, "QuantizeLinear");

    /// <summary>The DequantizeLinear counterpart of <see cref="IsQ"/>.</summary>
    public static bool IsDq(GraphEditor graph, Node node) => Is(graph, node, "DequantizeLinear");

    /// <summary>The scale is a constant scalar (rank 0 or shape [1]) and so is the zero point when present.</summary>
    public static bool HasConstantScalarParams(GraphEditor graph, Node qdq, out bool hasZeroPoint)
    {
        hasZeroPoint = qdq.Inputs.Length > 2 && qdq.Inputs[2].Length > 0;
        return IsConstantScalar(graph, qdq.Inputs[1]) && (!hasZeroPoint || IsConstantScalar(graph, qdq.Inputs[2]));
    }

    /// <summary>A constant initializer (not overridable by a graph input) that ORT's optimizer_utils::IsScalar accepts.</summary>
    public static bool IsConstantScalar(GraphEditor graph, string value) =>
        ConstantOf(graph, value) is { } t && IsScalarShape(t);

    /// <summary>Rank 0, or rank 1 with one element (optimizer_utils::IsScalar).</summary>
    public static bool IsScalarShape(TensorValue t) => t.Rank == 0 || (t.Rank == 1 && t.Shape[0] == 1);

    /// <summary>A constant initializer: ORT's graph_utils::GetConstantInitializer refuses initializers that a graph input
    /// of the same name may override.</summary>
    public static TensorValue? ConstantOf(GraphEditor graph, string value) =>
        graph.Source.Inputs.Any(i => i.Name == value) ? null : graph.Constant(value);

    private static bool Is(GraphEditor graph, Node node, string op)
    {
        if (node.OpType != op)
        {
            return false;
        }

        return node.NormalizedDomain switch
        {
            "" => graph.Source.OpsetOf(string.Empty) < 23,
            "com.microsoft" => true,
            _ => false,
        };
    }
}
