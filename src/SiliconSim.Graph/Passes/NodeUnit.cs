using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// A QDQ node unit as ORT's selectors see it (optimizer/qdq_transformer/selectors_actions/qdq_selectors.cc): a target
/// node whose selected inputs each come from a DequantizeLinear read by nothing else, and whose single output feeds one
/// QuantizeLinear (or, where a selector allows, no Q at all).
/// </summary>
internal sealed record NodeUnit(Node Target, Node?[] Dq, Node? Q)
{
    /// <summary>Finds the unit around <paramref name="target"/>; <paramref name="dqSlots"/> are the input slots that
    /// must be DQ outputs (absent optional slots are skipped), <paramref name="qOptional"/> allows a float output.</summary>
    public static NodeUnit? Find(GraphEditor graph, Node target, int[] dqSlots, bool qOptional)
    {
        var dqs = new Node?[Math.Max(target.Inputs.Length, dqSlots.Max() + 1)];
        foreach (int slot in dqSlots)
        {
            if (slot >= target.Inputs.Length || target.Inputs[slot].Length == 0)
            {
                continue;
            }

            string value = target.Inputs[slot];
            Node? producer = graph.Producer(value);
            if (producer is null || producer.OpType != "DequantizeLinear" || producer.NormalizedDomain.Length != 0
                || graph.IsGraphOutput(value) || graph.Consumers(value).Count != 1)
            {
                return null;
            }

            dqs[slot] = producer;
        }

        // Every other input that is present must not be a DQ output either (ORT counts all DQ inputs).
        if (target.Outputs.Length != 1 || graph.IsGraphOutput(target.Outputs[0]))
        {
            return qOptional && target.Outputs.Length == 1 && dqs.Any(d => d is not null) ? new NodeUnit(target, dqs, null) : null;
        }

        var consumers = graph.Consumers(target.Outputs[0]);
        if (consumers.Count == 1 && consumers[0].Node.OpType == "QuantizeLinear" && consumers[0].Node.NormalizedDomain.Length == 0)
        {
            return new NodeUnit(target, dqs, consumers[0].Node);
        }

        if (qOptional && consumers.All(c => c.Node.OpType != "QuantizeLinear"))
        {
            return new NodeUnit(target, dqs, null);
        }

        return null;
    }

    /// <summary>The integer type entering through the DQ at <paramref name="slot"/>.</summary>
    public DataType InType(GraphEditor graph, int slot) => graph.TypeOf(Dq[slot]!.Inputs[0]);

    /// <summary>The integer type leaving through the Q.</summary>
    public DataType OutType(GraphEditor graph) => graph.TypeOf(Q!.Outputs[0]);

    /// <summary>The (value, scale, zero point) names of the DQ at <paramref name="slot"/>, synthesising a zero zp.</summary>
    public (string Value, string Scale, string ZeroPoint) DqParams(GraphEditor graph, int slot)
    {
        Node dq = Dq[slot]!;
        return (dq.Inputs[0], dq.Inputs[1], ZeroPointOf(graph, dq, graph.TypeOf(dq.Inputs[0])));
    }

    /// <summary>The (scale, zero point) names of the Q.</summary>
    public (string Scale, string ZeroPoint) QParams(GraphEditor graph) => (Q!.Inputs[1], ZeroPointOf(graph, Q, OutType(graph)));

    /// <summary>Removes the unit's DQ and Q nodes and puts <paramref name="fused"/> where the target stood.</summary>
    public void ReplaceWith(GraphEditor graph, Node fused)
    {
        graph.Replace(Target, fused);
        foreach (Node? dq in Dq)
        {
            if (dq is not null)
            {
                graph.Remove(dq);
            }
        }

        if (Q is not null)
        {
            graph.Remove(Q);
        }
    }

    private static string ZeroPointOf(GraphEditor graph, Node qdq, DataType type)
    {
        if (qdq.Inputs.Length > 2 && qdq.Inputs[2].Length > 0)
        {
            return qdq.Inputs[2];
        }

        string name = graph.FreshName(qdq.Name + "_zero_point");
        graph.SetInitializer(name, TensorValue.Zeros(type, []));
        return name;
    }
}
