using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// Checks the invariants every graph the lowering hands on must keep, and returns every broken one at once (Minsk's
/// diagnostic bag), each naming the node and the value. The rules (<see cref="GraphRule"/>):
/// <list type="bullet">
/// <item><b>single assignment</b>: every value a node reads (other than "", an omitted optional input) is produced
/// exactly once, by a graph input, an initializer or one node output; no node writes a value another node, a graph
/// input or an initializer already produces (a graph input may also be an initializer: ONNX lets initializers be
/// listed as inputs to give them defaults);</item>
/// <item><b>order</b>: the IR keeps its nodes in execution order (<see cref="ModelGraph"/>'s contract, which
/// <see cref="GraphEditor"/> promises to keep), so every producer stands before its consumers; this also rules out
/// cycles;</item>
/// <item><b>outputs</b>: every graph output is produced;</item>
/// <item><b>types</b>: where <see cref="TypeInference"/> has a rule for the op (QuantizeLinear writes its zero point's
/// type, DequantizeLinear its scale's, QLinearConv / QLinearMatMul their y zero point's, QGemm its y zero point's or
/// float, ConvInteger / MatMulInteger int32, com.microsoft MatMulIntegerToFloat float, siliconsim ArrayConv /
/// ArrayGemm float or their fused zero point's, Cast its <c>to</c>, comparisons bool, ...), the type recorded for each
/// output and the type declared for it (graph outputs; value_info in a <see cref="ModelGraph"/>) equal the rule's.
/// Ops without a rule are not checked: <see cref="TypeInference"/>'s fallback (the first input's type) is a guess,
/// not a contract;</item>
/// <item><b>no dangling values</b>: a <see cref="ModelGraph"/>'s value_info names only values that exist; and no node
/// is dead, i.e. has no output that a node reads or that is a graph output. A dead node is work the executor and the
/// timing model would still do for nothing, left behind by a rewrite that removed its last reader. Unused outputs of
/// a live node are legitimate and not reported: ONNX lets a consumer ignore any output, and the kernels compute them
/// anyway (MaxPool's Indices, Dropout's mask, LayerNormalization's Mean and InvStdDev, DynamicQuantizeLinear's scale
/// and zero point). Unused initializers are not reported either: <see cref="GraphEditor.ToGraph"/> drops them.</item>
/// </list>
/// A <see cref="GraphEditor"/> is checked on its live state (its nodes, initializers and
/// <see cref="GraphEditor.Types"/>, which later passes decide by); its source's value_info is only brought up to date
/// by <see cref="GraphEditor.ToGraph"/>, so it is checked on the graph that returns. Linear in the size of the graph:
/// one pass to index producers, one over the nodes' inputs and outputs.
/// </summary>
public static class GraphVerifier
{
    private const int GraphInput = -1;
    private const int Initializer = -2;

    /// <summary>Every problem of an immutable graph; empty when it is sound. Types are compared with the graph's
    /// declarations (value_info and outputs).</summary>
    public static IReadOnlyList<GraphProblem> Verify(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var declared = new Dictionary<string, ValueInfo>(graph.ValueInfos, StringComparer.Ordinal);
        foreach (ValueInfo output in graph.Outputs)
        {
            declared[output.Name] = output;
        }

        var problems = new List<GraphProblem>();
        Dictionary<string, int> producers = Check(graph.Nodes, graph.Initializers, graph.Inputs, graph.Outputs, TypeInference.Infer(graph), recorded: false, declared, problems);
        var outputNames = graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var dangling = new List<GraphProblem>();
        foreach (var (name, info) in graph.ValueInfos)
        {
            // An unproduced graph output is already reported as such.
            if (name.Length > 0 && !producers.ContainsKey(name) && !outputNames.Contains(name))
            {
                dangling.Add(new(GraphRule.DanglingValueInfo, string.Empty, name, $"value_info '{name}' ({info.Type}) names a value that nothing produces"));
            }
            else if (graph.Initializers.TryGetValue(name, out TensorValue? init) && info.Type != DataType.Undefined && info.Type != init.Type)
            {
                dangling.Add(new(GraphRule.TypeMismatch, string.Empty, name, $"value_info '{name}' declares {info.Type} for an initializer of type {init.Type}"));
            }
        }

        // The dictionary's order is a hash order: sort the few problems, not the value_info.
        problems.AddRange(dangling.OrderBy(p => p.Value, StringComparer.Ordinal));
        return problems;
    }

    /// <summary>Every problem of a graph being rewritten; empty when it is sound. Types are compared with
    /// <see cref="GraphEditor.Types"/> and the source's declared outputs.</summary>
    public static IReadOnlyList<GraphProblem> Verify(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var declared = new Dictionary<string, ValueInfo>(StringComparer.Ordinal);
        foreach (ValueInfo output in graph.Source.Outputs)
        {
            declared[output.Name] = output;
        }

        var problems = new List<GraphProblem>();
        Check(graph.Nodes, graph.Initializers, graph.Source.Inputs, graph.Source.Outputs, graph.Types, recorded: true, declared, problems);
        return problems;
    }

    /// <summary>The structural and type checks both kinds of graph share; returns value → producer (a node index,
    /// <see cref="GraphInput"/> or <see cref="Initializer"/>).</summary>
    /// <param name="recorded">True when <paramref name="types"/> is a record kept by passes (an editor's) that must
    /// agree with the rules; false when it was itself inferred from them.</param>
    private static Dictionary<string, int> Check(
        IReadOnlyList<Node> nodes,
        IReadOnlyDictionary<string, TensorValue> initializers,
        ImmutableArray<ValueInfo> inputs,
        ImmutableArray<ValueInfo> outputs,
        IReadOnlyDictionary<string, DataType> types,
        bool recorded,
        Dictionary<string, ValueInfo> declared,
        List<GraphProblem> problems)
    {
        Dictionary<string, int> producers = Producers(nodes, initializers, inputs, problems);
        var read = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            Node node = nodes[i];
            foreach (string value in node.Inputs)
            {
                if (value.Length == 0)
                {
                    continue;
                }

                read.Add(value);
                if (!producers.TryGetValue(value, out int producer))
                {
                    problems.Add(new(GraphRule.UndefinedInput, node.Describe(), value, $"{Locate(nodes, i)} reads '{value}', which no graph input, initializer or node produces"));
                }
                else if (producer >= i)
                {
                    problems.Add(new(GraphRule.OutOfOrder, node.Describe(), value, $"{Locate(nodes, i)} reads '{value}' before {Producer(nodes, producer)} produces it"));
                }
            }
        }

        var graphOutputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfo output in outputs)
        {
            graphOutputs.Add(output.Name);
            if (!producers.ContainsKey(output.Name))
            {
                problems.Add(new(GraphRule.UnproducedOutput, string.Empty, output.Name, $"graph output '{output.Name}' is not produced"));
            }
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            Node node = nodes[i];
            bool live = false;
            for (int k = 0; k < node.Outputs.Length; k++)
            {
                string value = node.Outputs[k];
                if (value.Length == 0)
                {
                    continue;
                }

                live |= read.Contains(value) || graphOutputs.Contains(value);
                CheckType(nodes, i, k, types, recorded, declared, problems);
            }

            if (!live)
            {
                problems.Add(new(GraphRule.DeadNode, node.Describe(), node.Outputs.FirstOrDefault(o => o.Length > 0) ?? string.Empty,
                    $"{Locate(nodes, i)} is dead: none of its outputs ({string.Join(", ", node.Outputs.Select(o => $"'{o}'"))}) is read or a graph output"));
            }
        }

        return producers;
    }

    /// <summary>The single-assignment rule alone (<see cref="GraphRule.DuplicateProducer"/>): every value written more
    /// than once, by two nodes, or by a node and a graph input or initializer, and every graph input listed twice. The
    /// importer refuses a model with any (issue 13: two nodes writing one output were accepted, and which one a reader saw
    /// depended on node order).</summary>
    public static IReadOnlyList<GraphProblem> DuplicateProducers(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var problems = new List<GraphProblem>();
        Producers(graph.Nodes, graph.Initializers, graph.Inputs, problems);
        return problems;
    }

    /// <summary>value → producer (a node index, <see cref="GraphInput"/> or <see cref="Initializer"/>), reporting every
    /// second producer of a value.</summary>
    private static Dictionary<string, int> Producers(
        IReadOnlyList<Node> nodes,
        IReadOnlyDictionary<string, TensorValue> initializers,
        ImmutableArray<ValueInfo> inputs,
        List<GraphProblem> problems)
    {
        var producers = new Dictionary<string, int>(initializers.Count + inputs.Length + nodes.Count, StringComparer.Ordinal);
        foreach (string name in initializers.Keys)
        {
            producers[name] = Initializer;
        }

        // An initializer listed as an input is ONNX's way of giving an input a default, not a second producer.
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfo input in inputs)
        {
            if (!listed.Add(input.Name))
            {
                problems.Add(new(GraphRule.DuplicateProducer, string.Empty, input.Name, $"graph input '{input.Name}' is listed twice"));
            }

            producers[input.Name] = GraphInput;
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            Node node = nodes[i];
            foreach (string value in node.Outputs)
            {
                if (value.Length == 0)
                {
                    continue;
                }

                if (producers.TryGetValue(value, out int other))
                {
                    problems.Add(new(GraphRule.DuplicateProducer, node.Describe(), value, $"{Locate(nodes, i)} writes '{value}', which {Producer(nodes, other)} already produces"));
                }
                else
                {
                    producers[value] = i;
                }
            }
        }

        return producers;
    }

    private static void CheckType(
        IReadOnlyList<Node> nodes, int index, int slot, IReadOnlyDictionary<string, DataType> types, bool recorded,
        Dictionary<string, ValueInfo> declared, List<GraphProblem> problems)
    {
        Node node = nodes[index];
        string value = node.Outputs[slot];
        if (TypeInference.RuleType(node, slot, types) is not { } rule || rule == DataType.Undefined)
        {
            return;
        }

        if (recorded && !types.ContainsKey(value))
        {
            problems.Add(new(GraphRule.TypeMismatch, node.Describe(), value, $"{Locate(nodes, index)} writes '{value}' ({rule} by its op's rule) but no type is recorded for it"));
        }
        else if (recorded && types[value] != rule)
        {
            problems.Add(new(GraphRule.TypeMismatch, node.Describe(), value, $"{Locate(nodes, index)} writes '{value}' as {rule} by its op's rule, but its recorded type is {types[value]}"));
        }

        if (declared.TryGetValue(value, out ValueInfo? info) && info.Type != DataType.Undefined && info.Type != rule)
        {
            problems.Add(new(GraphRule.TypeMismatch, node.Describe(), value, $"{Locate(nodes, index)} writes '{value}' as {rule} by its op's rule, but the graph declares it {info.Type}"));
        }
    }

    private static string Locate(IReadOnlyList<Node> nodes, int index) => $"node #{index} {nodes[index].Describe()}";

    private static string Producer(IReadOnlyList<Node> nodes, int producer) => producer switch
    {
        GraphInput => "a graph input",
        Initializer => "an initializer",
        _ => Locate(nodes, producer),
    };
}
