using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's QDQS8ToU8Transformer (optimizer/qdq_transformer/qdq_s8_to_u8.cc), active on x86-64 where int8 activations
/// are not allowed: an int8 Q→DQ pair becomes uint8 with zp + 128, when the Q output feeds exactly that one DQ, is not
/// a graph output, and both sides carry the same constant scalar scale and zero point (ort-cpu-semantics.md R2).
/// Q and DQ are exactly neutral to the shift, but the fusion rules after it are decided by the new types.
/// </summary>
public sealed class QdqS8ToU8 : IGraphPass
{
    public string Name => "qdq-s8-to-u8";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node q in graph.Nodes.Where(n => n.OpType == "QuantizeLinear" && n.NormalizedDomain.Length == 0).ToList())
        {
            string qOut = q.Outputs[0];
            if (graph.TypeOf(qOut) != DataType.Int8 || graph.IsGraphOutput(qOut) || q.Inputs.Length < 3)
            {
                continue;
            }

            var consumers = graph.Consumers(qOut);
            if (consumers.Count != 1 || consumers[0].Node.OpType != "DequantizeLinear" || consumers[0].Slot != 0)
            {
                continue;
            }

            Node dq = consumers[0].Node;
            if (dq.Inputs.Length < 3 || !QdqParams.SameScalarParams(graph, q, dq))
            {
                continue;
            }

            sbyte zp = graph.Constant(q.Inputs[2])!.Items<sbyte>()[0];
            string zpU8 = graph.FreshName(q.Inputs[2] + "_s8_to_u8");
            graph.SetInitializer(zpU8, TensorValue.Scalar(DataType.UInt8, (byte)(zp + 128)));
            graph.Replace(q, q with { Inputs = q.Inputs.SetItem(2, zpU8) });
            graph.Replace(dq, dq with { Inputs = dq.Inputs.SetItem(2, zpU8) });
            graph.Types[qOut] = DataType.UInt8;
        }
    }
}
