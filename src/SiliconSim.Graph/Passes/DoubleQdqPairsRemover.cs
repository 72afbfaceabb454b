using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's DoubleQDQPairsRemover (level 1, the first transformer after the rewrite rules;
/// optimizer/double_qdq_pairs_remover.cc). In Q1 → DQ1 → Q2 → DQ2, each link read once and no graph output, where each
/// pair has one constant scalar scale and zero point (uint8 or int8), the middle DQ1 → Q2 is removed. When the two
/// pairs differ, the outer Q1 and DQ2 get the intersection of both ranges: scale = (max − min) / (qmax − qmin) and
/// zp = round-half-away(qmin − min / scale), in fp32. This changes values: Q(x) on the new grid is not Q2(DQ1(Q1(x))).
/// </summary>
public sealed class DoubleQdqPairsRemover : IGraphPass
{
    public string Name => "double-qdq-pairs-remover";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node self in graph.Nodes.Where(n => n.OpType == "DequantizeLinear").ToList())
        {
            if (graph.Nodes.Contains(self))
            {
                TryRemove(graph, self);
            }
        }
    }

    private static void TryRemove(GraphEditor graph, Node self)
    {
        Node? parent = graph.Producer(self.Inputs[0]);
        Node? child = SoleReader(graph, self.Outputs[0]);
        if (parent is null || child is null || child.OpType != "QuantizeLinear" || parent.OpType != "QuantizeLinear"
            || SoleReader(graph, parent.Outputs[0]) is null)
        {
            return;
        }

        Node? grandchild = SoleReader(graph, child.Outputs[0]);
        if (grandchild is null || grandchild.OpType != "DequantizeLinear"
            || !QdqParams.SameScalarParams(graph, parent, self) || !QdqParams.SameScalarParams(graph, child, grandchild))
        {
            return;
        }

        DataType zpType = graph.Constant(self.Inputs[2])!.Type;
        if (zpType is not (DataType.UInt8 or DataType.Int8))
        {
            return;
        }

        if (!(self.Inputs[1] == child.Inputs[1] && self.Inputs[2] == child.Inputs[2]))
        {
            TensorValue s1 = graph.Constant(self.Inputs[1])!;
            TensorValue s2 = graph.Constant(child.Inputs[1])!;
            TensorValue z1 = graph.Constant(self.Inputs[2])!;
            TensorValue z2 = graph.Constant(child.Inputs[2])!;
            if (z1.Type != z2.Type || s1.Type != DataType.Float || s2.Type != DataType.Float)
            {
                return;
            }

            int zp1 = ZeroPoint(z1);
            int zp2 = ZeroPoint(z2);
            float scale1 = s1.Items<float>()[0];
            float scale2 = s2.Items<float>()[0];
            if (!(zp1 == zp2 && MathF.Abs(scale1 - scale2) < 1E-20f))
            {
                (int qmin, int qmax) = zpType == DataType.UInt8 ? (0, 255) : (-128, 127);
                float realMin = Math.Max((qmin - zp1) * scale1, (qmin - zp2) * scale2);
                float realMax = Math.Min((qmax - zp1) * scale1, (qmax - zp2) * scale2);
                float newScale = (realMax - realMin) / (qmax - qmin);

                // std::round: halves away from zero; narrow_cast wraps like a C cast.
                int newZp = (int)MathF.Round(qmin - (realMin / newScale), MidpointRounding.AwayFromZero);
                string scaleName = graph.FreshName("DoubleQDQRemoved_scale");
                string zpName = graph.FreshName("DoubleQDQRemoved_zero_point");
                graph.SetInitializer(scaleName, TensorValue.Create(DataType.Float, s1.Shape.AsSpan(), new[] { newScale }));
                graph.SetInitializer(zpName, zpType == DataType.UInt8
                    ? TensorValue.Create(zpType, z1.Shape.AsSpan(), new[] { unchecked((byte)newZp) })
                    : TensorValue.Create(zpType, z1.Shape.AsSpan(), new[] { unchecked((sbyte)newZp) }));
                Node newParent = parent with { Inputs = [parent.Inputs[0], scaleName, zpName] };
                graph.Replace(parent, newParent);
                parent = newParent;
                graph.Replace(grandchild, grandchild with { Inputs = [grandchild.Inputs[0], scaleName, zpName] });
                grandchild = graph.Nodes.First(n => n.Outputs.SequenceEqual(grandchild.Outputs));
            }
        }

        graph.Replace(grandchild, grandchild with { Inputs = grandchild.Inputs.SetItem(0, parent.Outputs[0]) });
        graph.Remove(self);
        graph.Remove(child);
    }

    private static int ZeroPoint(TensorValue zp) => zp.Type == DataType.UInt8 ? zp.Items<byte>()[0] : zp.Items<sbyte>()[0];

    private static Node? SoleReader(GraphEditor graph, string value)
    {
        var readers = graph.Consumers(value);
        return readers.Count == 1 && !graph.IsGraphOutput(value) ? readers[0].Node : null;
    }
}
