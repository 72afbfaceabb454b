using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's QDQPropagationTransformer (level 1, optimizer/qdq_transformer/qdq_propagation.cc). Around the ops that only
/// move values (MaxPool from opset 12, Reshape, Transpose, Squeeze, Unsqueeze, Slice; not Gather), a Q's parameters are
/// copied backwards and a DQ's forwards by inserting Q → DQ pairs, so those ops end up between a DQ and a Q and later run
/// on integers. First every Q (in node order) walks back through single-reader propagating ops, inserting a pair on each
/// edge until it meets a DQ; then every DQ read by one node walks forward breadth-first through the propagating ops,
/// inserting a pair after each (on all its readers) unless one of them already is a Q. Both need constant scalar
/// scale and zero point. A pair changes no value: quantizing to the same grid twice is exact.
/// </summary>
public sealed class QdqPropagation : IGraphPass
{
    public string Name => "qdq-propagation";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        List<Node> snapshot = [.. graph.Nodes];
        foreach (Node q in snapshot.Where(n => QdqMatch.IsQ(graph, n)))
        {
            PropagateQBackward(graph, q);
        }

        foreach (Node dq in snapshot.Where(n => QdqMatch.IsDq(graph, n)))
        {
            PropagateDqForward(graph, dq);
        }
    }

    /// <summary>qdq_propagation.cc CanNodePropagate, by the op's schema version (MaxPool only from 12).</summary>
    internal static bool CanPropagate(GraphEditor graph, Node node)
    {
        if (node.NormalizedDomain.Length != 0)
        {
            return false;
        }

        int opset = graph.Source.OpsetOf(string.Empty);
        return node.OpType switch
        {
            "MaxPool" => opset >= 12,
            "Reshape" => opset >= 5,
            "Transpose" or "Squeeze" or "Unsqueeze" or "Slice" => true,
            _ => false,
        };
    }

    private static void PropagateQBackward(GraphEditor graph, Node q)
    {
        if (!QdqMatch.HasConstantScalarParams(graph, q, out bool hasZp))
        {
            return;
        }

        // GetPreviousEdge: the Q's input must come from a node output read by the Q alone.
        Node? current = graph.Producer(q.Inputs[0]);
        if (current is null || !SingleReader(graph, q.Inputs[0]))
        {
            return;
        }

        while (CanPropagate(graph, current))
        {
            string value = current.Inputs[0];
            Node? source = graph.Producer(value);
            if (source is not null && !SingleReader(graph, value))
            {
                return;
            }

            if (source is not null && QdqMatch.IsDq(graph, source))
            {
                return;
            }

            string preQ = InsertPairs(graph, value, [(graph.Nodes.IndexOf(current), 0)], q, hasZp, q.Attributes, DqAttributesOf(q.Attributes));
            if (source is null)
            {
                // An edge from a graph input or initializer has nothing before it.
                return;
            }

            current = graph.Producer(preQ)!;
        }
    }

    private static void PropagateDqForward(GraphEditor graph, Node dq)
    {
        string dqOut = dq.Outputs[0];
        if (!SingleReader(graph, dqOut) || !QdqMatch.HasConstantScalarParams(graph, dq, out bool hasZp))
        {
            return;
        }

        var pending = new Queue<string>();
        Node first = graph.Consumers(dqOut)[0].Node;
        if (CanPropagate(graph, first))
        {
            pending.Enqueue(first.Outputs[0]);
        }

        while (pending.Count > 0)
        {
            string value = pending.Dequeue();
            var readers = graph.Consumers(value);
            bool toOutput = graph.IsGraphOutput(value);
            if ((readers.Count == 0 && !toOutput) || readers.Any(r => QdqMatch.IsQ(graph, r.Node)))
            {
                continue;
            }

            var next = readers.Where(r => CanPropagate(graph, r.Node)).Select(r => r.Node.Outputs[0]).ToList();
            var edges = readers.Select(r => ((int?)graph.Nodes.IndexOf(r.Node), r.Slot)).ToList();
            if (toOutput)
            {
                edges.Add((null, -1));
            }

            InsertPairs(graph, value, edges, dq, hasZp, dq.Attributes, dq.Attributes);
            foreach (string v in next)
            {
                pending.Enqueue(v);
            }
        }
    }

    private static bool SingleReader(GraphEditor graph, string value) =>
        !graph.IsGraphOutput(value) && graph.Consumers(value).Count == 1;

    /// <summary>In opsets up to 21 a Q's axis and block_size are the only attributes a DQ shares.</summary>
    private static ImmutableDictionary<string, AttributeValue> DqAttributesOf(ImmutableDictionary<string, AttributeValue> qAttributes) =>
        qAttributes.Where(kv => kv.Key is "axis" or "block_size").ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// qdq_propagation.cc InsertQDQPairs: <paramref name="value"/> feeds one new Q, and each listed reader (node index and
    /// slot; a null index is the graph output) gets its own DQ of it. The scale and zero point are those of
    /// <paramref name="model"/>. Returns the new name of the source node's output.
    /// </summary>
    private static string InsertPairs(
        GraphEditor graph,
        string value,
        IReadOnlyList<(int? Index, int Slot)> edges,
        Node model,
        bool hasZp,
        ImmutableDictionary<string, AttributeValue> qAttributes,
        ImmutableDictionary<string, AttributeValue> dqAttributes)
    {
        DataType floatType = graph.TypeOf(value);
        int sourceIndex = graph.Producer(value) is Node producer ? graph.Nodes.IndexOf(producer) : -1;
        string preQ = value;
        if (sourceIndex >= 0)
        {
            preQ = graph.FreshName(value + "_pre_q");
            Node source = graph.Nodes[sourceIndex];
            graph.Nodes[sourceIndex] = source with { Outputs = source.Outputs.Replace(value, preQ) };
            graph.Types[preQ] = floatType;
        }

        string scale = model.Inputs[1];
        string? zp = hasZp ? model.Inputs[2] : null;
        ImmutableArray<string> Params(string x) => zp is null ? [x, scale] : [x, scale, zp];

        string qOut = graph.FreshName(value + "_q_to_dq");
        graph.Types[qOut] = zp is not null ? graph.TypeOf(zp)
            : qAttributes.TryGetValue("output_dtype", out var od) && od.Int != 0 ? (DataType)od.Int : DataType.UInt8;
        var inserted = new List<Node>
        {
            new(graph.FreshName(value + "_q"), "QuantizeLinear", model.Domain, Params(preQ), [qOut], qAttributes),
        };

        for (int i = 0; i < edges.Count; i++)
        {
            (int? index, int slot) = edges[i];
            string postDq = index is null ? value : graph.FreshName(value + "_post_dq" + (i == 0 ? string.Empty : i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            graph.Types[postDq] = floatType;
            inserted.Add(new Node(graph.FreshName(value + "_dq" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "DequantizeLinear", model.Domain, Params(qOut), [postDq], dqAttributes));
            if (index is int at)
            {
                Node reader = graph.Nodes[at];
                graph.Nodes[at] = reader with { Inputs = reader.Inputs.SetItem(slot, postDq) };
            }
        }

        int position = sourceIndex >= 0 ? sourceIndex + 1 : edges.Where(e => e.Index is not null).Select(e => e.Index!.Value).DefaultIfEmpty(graph.Nodes.Count).Min();
        graph.Nodes.InsertRange(position, inserted);
        return preQ;
    }
}
