using System.Runtime.CompilerServices;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution;

/// <summary>
/// The outputs of a graph's nodes whose inputs are all constant (initializers, or outputs of such nodes): a per-channel
/// DequantizeLinear of a weight, say, which ORT's lowering keeps so the QDQ unit survives. <see cref="GraphExecutor"/>
/// computes them once per graph and run settings, with the same kernels, and reuses them on every run (issue 18), so a
/// run's values and bits are those of running the nodes. Kernels still see only initializers as constant
/// (<see cref="OpContext.IsConstant"/>), since ORT picks kernels by that. The arrays are made outside any run's
/// <see cref="TensorArena"/>, so no arena ever hands them out again.
/// </summary>
internal sealed class ConstantNodes
{
    private static readonly HashSet<string> s_nonDeterministic =
        new(["RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike", "Multinomial", "Dropout", "Bernoulli"], StringComparer.Ordinal);

    // One entry per graph: the settings it was computed under and the values; other settings recompute it.
    private static readonly ConditionalWeakTable<ModelGraph, ConstantNodes> s_byGraph = new();

    private readonly ExecutionOptions _settings;

    private ConstantNodes(ExecutionOptions settings, bool[] folded, Dictionary<string, TensorValue> values)
    {
        _settings = settings;
        Folded = folded;
        Values = values;
    }

    /// <summary>Per node index: whether its outputs are in <see cref="Values"/>.</summary>
    public bool[] Folded { get; }

    /// <summary>The outputs of the folded nodes, by name.</summary>
    public Dictionary<string, TensorValue> Values { get; }

    /// <summary>
    /// The constant nodes of <paramref name="graph"/> under <paramref name="options"/>, or null when the run must execute
    /// every node (a node override may replace any node's outputs).
    /// </summary>
    public static ConstantNodes? For(ModelGraph graph, ExecutionOptions options)
    {
        if (options.NodeOverride is not null)
        {
            return null;
        }

        // The thread count and what an observer keeps change no value; everything else (numerics, budget) may.
        ExecutionOptions settings = options with { Parallelism = Parallelism.Single, ObserverKeepsValues = true };
        if (s_byGraph.TryGetValue(graph, out ConstantNodes? cached) && cached._settings == settings)
        {
            return cached;
        }

        ConstantNodes computed = Compute(graph, settings);
        s_byGraph.AddOrUpdate(graph, computed);
        return computed;
    }

    private static ConstantNodes Compute(ModelGraph graph, ExecutionOptions settings)
    {
        var folded = new bool[graph.Nodes.Length];
        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        // A private arena: the arrays it hands out are unknown to every run's arena, so none is recycled.
        using TensorArena.Scope scope = new TensorArena(0).Use();
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            Node node = graph.Nodes[i];
            if (!Deterministic(node) || node.Outputs.All(o => o.Length == 0))
            {
                continue;
            }

            var args = new TensorValue?[node.Inputs.Length];
            bool allConstant = true;
            for (int k = 0; k < args.Length && allConstant; k++)
            {
                string name = node.Inputs[k];
                if (name.Length == 0)
                {
                    continue;
                }

                if (graph.Initializers.TryGetValue(name, out TensorValue? v) || values.TryGetValue(name, out v))
                {
                    args[k] = v;
                }
                else
                {
                    allConstant = false;
                }
            }

            if (!allConstant || OpRegistry.Find(node.NormalizedDomain, node.OpType) is not { } kernel)
            {
                continue;
            }

            TensorValue[] outputs;
            try
            {
                var context = new OpContext(node, graph.OpsetOf(node.NormalizedDomain), args, graph.Initializers.ContainsKey, settings);
                AllocationGuard.Check(context, args);
                outputs = kernel(context);
            }
            catch (Exception e) when (e is OpException or ArgumentException or InvalidCastException or IndexOutOfRangeException or NotSupportedException or OverflowException or MemoryBudgetException)
            {
                // Left to the run, which reports the failure where it happens.
                continue;
            }

            for (int k = 0; k < node.Outputs.Length && k < outputs.Length; k++)
            {
                if (node.Outputs[k].Length > 0)
                {
                    values[node.Outputs[k]] = outputs[k];
                }
            }

            folded[i] = true;
        }

        return new ConstantNodes(settings, folded, values);
    }

    private static bool Deterministic(Node node) =>
        !(node.NormalizedDomain.Length == 0 && s_nonDeterministic.Contains(node.OpType))
        && node.Attributes.Values.All(a => a.Kind is not (AttributeKind.Graph or AttributeKind.Graphs));
}
