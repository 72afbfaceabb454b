using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's EnsureUniqueDQForNodeUnit (optimizer/qdq_transformer/ensure_unique_dq_for_node_unit.cc): a DequantizeLinear
/// read by k &gt; 1 input slots is duplicated so each slot has its own. It changes no value, but it decides which
/// Q→DQ pairs the S8→U8 rule sees as single-consumer (ort-cpu-semantics.md R1, R2).
/// </summary>
public sealed class EnsureUniqueDequantize : IGraphPass
{
    public string Name => "ensure-unique-dq";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node dq in graph.Nodes.Where(n => n.OpType == "DequantizeLinear" && n.NormalizedDomain.Length == 0).ToList())
        {
            string value = dq.Outputs[0];
            var consumers = graph.Consumers(value);
            bool isOutput = graph.IsGraphOutput(value);
            int keep = isOutput ? 0 : 1;
            for (int c = keep; c < consumers.Count; c++)
            {
                (Node consumer, int slot) = consumers[c];
                Node current = graph.Nodes.Named(consumer.Name) ?? throw new InvalidOperationException($"no node is named '{consumer.Name}'");
                string copyOut = graph.FreshName(value + "/duplicated");
                Node copy = dq with { Name = graph.FreshName(dq.Name + "/duplicated"), Outputs = [copyOut] };
                graph.Nodes.Insert(graph.Nodes.IndexOf(dq) + 1, copy);
                graph.Types[copyOut] = graph.TypeOf(value);
                graph.Replace(current, current with { Inputs = current.Inputs.SetItem(slot, copyOut) });
            }
        }
    }
}
