using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's QDQSelectorActionTransformer as the x86-64 CPU provider applies it (ort-cpu-semantics.md R3): each DQ→op→Q
/// unit becomes an integer kernel when the types after <see cref="QdqS8ToU8"/> allow it, and otherwise stays as float
/// DQ→op→Q. On x86-64 int8 activations are not allowed, so a unit whose activation is int8 is never fused.
/// </summary>
public sealed class FuseQdqNodeUnits : IGraphPass
{
    /// <summary>Ops that only move or select values; DQ→op→Q around them collapses to the op on integers.</summary>
    private static readonly FrozenOps s_dataMovement = new("Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Slice", "Expand", "Tile", "MaxPool");

    public string Name => "fuse-qdq-node-units";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (node.NormalizedDomain.Length != 0 || !graph.Nodes.Contains(node))
            {
                continue;
            }

            _ = node.OpType switch
            {
                "Conv" => FuseConv(graph, node),
                "Gemm" => FuseGemm(graph, node),
                "MatMul" => FuseMatMul(graph, node),
                "GlobalAveragePool" or "AveragePool" or "Softmax" or "Sigmoid" or "LeakyRelu" => FuseUnary(graph, node),
                "Add" or "Mul" => FuseBinary(graph, node),
                _ when s_dataMovement.Contains(node.OpType) => DropQdq(graph, node),
                _ => false,
            };
        }
    }

    private static bool IsActivationAllowed(DataType t) => t == DataType.UInt8;

    private static bool FuseConv(GraphEditor graph, Node conv)
    {
        var unit = NodeUnit.Find(graph, conv, [0, 1, 2], qOptional: false);
        if (unit is null || unit.Dq[0] is null || unit.Dq[1] is null || unit.Q is null || (conv.Inputs.Length > 2 && conv.Inputs[2].Length > 0 && unit.Dq[2] is null))
        {
            return false;
        }

        DataType input = unit.InType(graph, 0);
        if (!IsActivationAllowed(input) || unit.OutType(graph) != input || !IsInt8Or(unit.InType(graph, 1)))
        {
            return false;
        }

        if (unit.Dq[2] is not null && unit.InType(graph, 2) != DataType.Int32)
        {
            return false;
        }

        var x = unit.DqParams(graph, 0);
        var w = unit.DqParams(graph, 1);
        var y = unit.QParams(graph);
        var inputs = ImmutableArray.Create(x.Value, x.Scale, x.ZeroPoint, w.Value, w.Scale, w.ZeroPoint, y.Scale, y.ZeroPoint);
        if (unit.Dq[2] is not null)
        {
            // The bias enters as the raw int32 initializer; its DQ scale is ignored (ort-cpu-semantics.md §4.4).
            inputs = inputs.Add(unit.Dq[2]!.Inputs[0]);
        }

        unit.ReplaceWith(graph, conv with { OpType = "QLinearConv", Inputs = inputs, Outputs = [unit.Q.Outputs[0]] });
        return true;
    }

    private static bool FuseGemm(GraphEditor graph, Node gemm)
    {
        var unit = NodeUnit.Find(graph, gemm, [0, 1, 2], qOptional: true);
        if (unit is null || unit.Dq[0] is null || unit.Dq[1] is null || (gemm.Inputs.Length > 2 && gemm.Inputs[2].Length > 0 && unit.Dq[2] is null))
        {
            return false;
        }

        DataType a = unit.InType(graph, 0);
        if (!IsActivationAllowed(a) || !IsInt8Or(unit.InType(graph, 1)) || (unit.Q is not null && unit.OutType(graph) != a))
        {
            return false;
        }

        if (unit.Dq[2] is not null && (unit.InType(graph, 2) != DataType.Int32 || (gemm.Attributes.TryGetValue("beta", out var beta) && beta.Float != 1f)))
        {
            return false;
        }

        var pa = unit.DqParams(graph, 0);
        var pb = unit.DqParams(graph, 1);
        var inputs = new List<string> { pa.Value, pa.Scale, pa.ZeroPoint, pb.Value, pb.Scale, pb.ZeroPoint, unit.Dq[2]?.Inputs[0] ?? string.Empty };
        string output = gemm.Outputs[0];
        if (unit.Q is not null)
        {
            var y = unit.QParams(graph);
            inputs.Add(y.Scale);
            inputs.Add(y.ZeroPoint);
            output = unit.Q.Outputs[0];
        }

        var attrs = gemm.Attributes.Remove("beta");
        unit.ReplaceWith(graph, gemm with { OpType = "QGemm", Domain = "com.microsoft", Inputs = [.. inputs], Outputs = [output], Attributes = attrs });
        return true;
    }

    private static bool FuseMatMul(GraphEditor graph, Node matmul)
    {
        var unit = NodeUnit.Find(graph, matmul, [0, 1], qOptional: true);
        if (unit is null || unit.Dq[0] is null || unit.Dq[1] is null)
        {
            return false;
        }

        DataType a = unit.InType(graph, 0);
        if (!IsActivationAllowed(a) || !IsInt8Or(unit.InType(graph, 1)) || (unit.Q is not null && unit.OutType(graph) != a))
        {
            return false;
        }

        var pa = unit.DqParams(graph, 0);
        var pb = unit.DqParams(graph, 1);
        if (unit.Q is not null)
        {
            var y = unit.QParams(graph);
            unit.ReplaceWith(graph, matmul with
            {
                OpType = "QLinearMatMul",
                Inputs = [pa.Value, pa.Scale, pa.ZeroPoint, pb.Value, pb.Scale, pb.ZeroPoint, y.Scale, y.ZeroPoint],
                Outputs = [unit.Q.Outputs[0]],
            });
        }
        else
        {
            unit.ReplaceWith(graph, matmul with
            {
                OpType = "MatMulIntegerToFloat",
                Domain = "com.microsoft",
                Inputs = [pa.Value, pb.Value, pa.Scale, pb.Scale, pa.ZeroPoint, pb.ZeroPoint],
            });
        }

        return true;
    }

    private static bool FuseUnary(GraphEditor graph, Node node)
    {
        var unit = NodeUnit.Find(graph, node, [0], qOptional: false);
        if (unit?.Dq[0] is null || unit.Q is null)
        {
            return false;
        }

        DataType t = unit.InType(graph, 0);
        if (!IsActivationAllowed(t) || unit.OutType(graph) != t)
        {
            return false;
        }

        var x = unit.DqParams(graph, 0);
        var y = unit.QParams(graph);
        var attrs = node.Attributes;
        if (node.OpType == "GlobalAveragePool")
        {
            attrs = attrs.SetItem("channels_last", new AttributeValue(AttributeKind.Int) { Int = 0 });
        }
        else if (node.OpType == "Softmax")
        {
            // QLinearSoftmax carries the ONNX opset because Softmax's axis semantics changed at opset 13.
            attrs = attrs.SetItem("opset", new AttributeValue(AttributeKind.Int) { Int = graph.Source.OpsetOf(string.Empty) });
        }

        unit.ReplaceWith(graph, node with
        {
            OpType = "QLinear" + node.OpType,
            Domain = "com.microsoft",
            Inputs = [x.Value, x.Scale, x.ZeroPoint, y.Scale, y.ZeroPoint],
            Outputs = [unit.Q.Outputs[0]],
            Attributes = attrs,
        });
        return true;
    }

    private static bool FuseBinary(GraphEditor graph, Node node)
    {
        var unit = NodeUnit.Find(graph, node, [0, 1], qOptional: false);
        if (unit is null || unit.Dq[0] is null || unit.Dq[1] is null || unit.Q is null)
        {
            return false;
        }

        DataType t = unit.InType(graph, 0);
        if (!IsActivationAllowed(t) || unit.InType(graph, 1) != t || unit.OutType(graph) != t)
        {
            return false;
        }

        var a = unit.DqParams(graph, 0);
        var b = unit.DqParams(graph, 1);
        var y = unit.QParams(graph);
        unit.ReplaceWith(graph, node with
        {
            OpType = "QLinear" + node.OpType,
            Domain = "com.microsoft",
            Inputs = [a.Value, a.Scale, a.ZeroPoint, b.Value, b.Scale, b.ZeroPoint, y.Scale, y.ZeroPoint],
            Outputs = [unit.Q.Outputs[0]],
        });
        return true;
    }

    private static bool DropQdq(GraphEditor graph, Node node)
    {
        var unit = NodeUnit.Find(graph, node, [0], qOptional: false);
        if (unit?.Dq[0] is null || unit.Q is null)
        {
            return false;
        }

        if (unit.InType(graph, 0) != unit.OutType(graph) || !QdqParams.SameScalarParams(graph, unit.Dq[0]!, unit.Q))
        {
            return false;
        }

        if (node.OpType == "MaxPool" && !(QdqParams.ScalarScale(graph, unit.Q) > 0f))
        {
            return false;
        }

        unit.ReplaceWith(graph, node with
        {
            Inputs = node.Inputs.SetItem(0, unit.Dq[0]!.Inputs[0]),
            Outputs = node.Outputs.SetItem(0, unit.Q.Outputs[0]),
        });
        return true;
    }

    private static bool IsInt8Or(DataType t) => t is DataType.Int8 or DataType.UInt8;

    private sealed class FrozenOps(params string[] ops)
    {
        private readonly HashSet<string> _ops = new(ops, StringComparer.Ordinal);

        public bool Contains(string op) => _ops.Contains(op);
    }
}
