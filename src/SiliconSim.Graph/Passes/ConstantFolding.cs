using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's ConstantFolding (level 1, optimizer/constant_folding.cc): in node order, a deterministic default-domain node
/// whose inputs are all constant initializers is run once (here with SiliconSim's own kernels, which reproduce ORT's) and
/// its outputs become initializers; a Shape node folds when its input's shape is statically known. A DequantizeLinear
/// of constants is kept, so QDQ node units survive, unless the whole unit DQ → X → Q folds (X with one input and one
/// output, read only by a QuantizeLinear). The producers left without readers are removed with the folded node.
/// </summary>
public sealed class ConstantFolding : IGraphPass
{
    /// <summary>optimizer_utils::IsOperationDeterministic's list for the ONNX domain.</summary>
    private static readonly HashSet<string> s_nonDeterministic =
        new(["RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike", "Multinomial", "Dropout"], StringComparer.Ordinal);

    public string Name => "constant-folding";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Dictionary<string, int[]>? shapes = null;
        foreach (Node node in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(node))
            {
                continue;
            }

            bool folded;
            if (node.OpType == "Shape" && node.NormalizedDomain.Length == 0)
            {
                shapes ??= StaticShapes(graph);
                folded = FoldShape(graph, node, shapes);
            }
            else
            {
                folded = FoldConstantNode(graph, node);
            }

            if (folded)
            {
                RemoveWithDeadProducers(graph, node);
                shapes = null;
            }
        }
    }

    /// <summary>Shapes ORT's shape inference would know: from fully static graph inputs, the initializers and the
    /// model's own value_info.</summary>
    internal static Dictionary<string, int[]> StaticShapes(GraphEditor graph)
    {
        ModelGraph g = graph.ToGraph();
        var inputs = g.RuntimeInputs.Where(i => i.Dims.Length > 0 && i.IsStatic)
            .ToDictionary(i => i.Name, i => i.Dims.Select(d => d!.Value).ToArray(), StringComparer.Ordinal);
        var shapes = ShapeInference.Infer(g, inputs);
        foreach (ValueInfo v in g.ValueInfos.Values.Concat(g.Outputs))
        {
            if (v.IsStatic && v.Dims.Length > 0 && !shapes.ContainsKey(v.Name))
            {
                shapes[v.Name] = v.Dims.Select(d => d!.Value).ToArray();
            }
        }

        return shapes;
    }

    private static bool FoldShape(GraphEditor graph, Node node, Dictionary<string, int[]> shapes)
    {
        if (!shapes.TryGetValue(node.Inputs[0], out int[]? shape))
        {
            return false;
        }

        // Opset 15 slicing: negative bounds count from the end, then both clamp to [0, rank].
        long rank = shape.Length;
        long start = node.Attributes.TryGetValue("start", out var s) ? s.Int : 0;
        long end = node.Attributes.TryGetValue("end", out var e) ? e.Int : long.MaxValue;
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        long[] dims = [.. shape.Skip((int)start).Take((int)Math.Max(0, end - start)).Select(d => (long)d)];
        graph.SetInitializer(node.Outputs[0], TensorValue.Create(DataType.Int64, [dims.Length], dims));
        return true;
    }

    private static bool FoldConstantNode(GraphEditor graph, Node node)
    {
        if (!CanFold(node) || node.Inputs.Any(i => i.Length > 0 && QdqMatch.ConstantOf(graph, i) is null))
        {
            return false;
        }

        if (node.OpType == "DequantizeLinear" && !WholeUnitFolds(graph, node))
        {
            return false;
        }

        var kernel = OpRegistry.Find(node.NormalizedDomain, node.OpType);
        if (kernel is null)
        {
            return false;
        }

        var args = node.Inputs.Select(i => i.Length > 0 ? graph.Constant(i) : null).ToArray();
        TensorValue[] outputs;
        try
        {
            // ORT folds with a kernel made outside the session state, so nothing is pre-packed: a constant MatMul/Gemm
            // operand takes the unpacked path (a different summation order), hence "no input is constant" here.
            var context = new OpContext(node, graph.Source.OpsetOf(node.NormalizedDomain), args, _ => false, new ExecutionOptions { MemoryBudget = graph.Budget });
            AllocationGuard.Check(context, args);
            outputs = kernel(context);
        }
        catch (MemoryBudgetException ex)
        {
            // Not a kernel refusing the node but a constant too big to make: ORT would try and run out of memory.
            throw new MemoryBudgetException($"node {node.Describe()}: folding its constant: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is OpException or ArgumentException or InvalidCastException or IndexOutOfRangeException or NotSupportedException or OverflowException)
        {
            // ORT skips a node it has no CPU kernel for; SiliconSim skips one its kernels refuse.
            return false;
        }

        if (outputs.Length < node.Outputs.Count(o => o.Length > 0))
        {
            return false;
        }

        for (int i = 0; i < node.Outputs.Length; i++)
        {
            if (node.Outputs[i].Length > 0)
            {
                graph.SetInitializer(node.Outputs[i], outputs[i]);
            }
        }

        return true;
    }

    /// <summary>Deterministic, in a domain ORT folds (ONNX, or com.microsoft Q/DQ), and without subgraphs.</summary>
    private static bool CanFold(Node node)
    {
        bool domainOk = node.NormalizedDomain.Length == 0
            ? !s_nonDeterministic.Contains(node.OpType)
            : node.NormalizedDomain == "com.microsoft" && node.OpType is "QuantizeLinear" or "DequantizeLinear";
        return domainOk && node.Attributes.Values.All(a => a.Kind is not (AttributeKind.Graph or AttributeKind.Graphs));
    }

    /// <summary>The DQ → X → Q chain that ORT lets fold as a whole: each link read once and no graph output.</summary>
    private static bool WholeUnitFolds(GraphEditor graph, Node dq)
    {
        Node? x = SoleReader(graph, dq.Outputs[0]);
        if (x is null || x.Inputs.Length != 1 || x.Outputs.Length != 1 || !CanFold(x))
        {
            return false;
        }

        Node? q = SoleReader(graph, x.Outputs[0]);
        return q is not null && q.OpType == "QuantizeLinear" && CanFold(q);
    }

    private static Node? SoleReader(GraphEditor graph, string value)
    {
        var consumers = graph.Consumers(value);
        return consumers.Count == 1 && !graph.IsGraphOutput(value) ? consumers[0].Node : null;
    }

    /// <summary>Removes <paramref name="node"/> and, upwards, every producer left with no reader (ORT's
    /// RemoveNodesWithOneOutputBottomUp).</summary>
    internal static void RemoveWithDeadProducers(GraphEditor graph, Node node)
    {
        var producers = node.Inputs.Where(i => i.Length > 0).Select(graph.Producer).OfType<Node>().Distinct().ToList();
        graph.Remove(node);
        foreach (Node p in producers)
        {
            if (graph.Nodes.Contains(p) && p.Outputs.All(o => o.Length == 0 || (!graph.IsGraphOutput(o) && graph.Consumers(o).Count == 0)))
            {
                RemoveWithDeadProducers(graph, p);
            }
        }
    }
}
