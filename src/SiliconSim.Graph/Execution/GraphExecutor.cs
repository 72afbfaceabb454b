using System.Runtime.CompilerServices;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution;

/// <summary>
/// Runs a graph node by node in its topological order with the registered kernels. Nodes run one after another; a
/// kernel may split its own work over <see cref="ExecutionOptions.Parallelism"/>'s threads. Deterministic: the same graph
/// and inputs give the same bits for any thread count. Values are released after their last reader, and their arrays
/// reused by later nodes (<see cref="TensorArena"/>). Nodes whose inputs are all constant run once per graph and their
/// outputs are reused (<see cref="ConstantNodes"/>); an observer still sees them in node order.
/// </summary>
public static class GraphExecutor
{
    /// <summary>Every node whose (domain, op) has no implementation, or whose opset is below it; empty when all run.</summary>
    public static IReadOnlyList<UnsupportedNode> FindUnsupported(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var result = new List<UnsupportedNode>();
        foreach (Node n in graph.Nodes)
        {
            if (OpRegistry.Find(n.NormalizedDomain, n.OpType) is null)
            {
                result.Add(new UnsupportedNode(n.Name, n.OpType, n.NormalizedDomain));
            }
        }

        return result;
    }

    /// <summary>Runs <paramref name="graph"/> on <paramref name="inputs"/> (by name) and returns the graph outputs in order.</summary>
    /// <param name="graph">The graph, usually after <see cref="Passes.OrtCpuLowering"/>.</param>
    /// <param name="inputs">A value for every runtime input.</param>
    /// <param name="observe">Called with (value name, value) for every node output as it is produced, for tracing.</param>
    /// <param name="options">Run settings (the matrix unit's numerics); null means <see cref="ExecutionOptions.Default"/>, ORT's arithmetic.</param>
    /// <exception cref="ExecutionException">a node failed; the message names it.</exception>
    public static IReadOnlyList<(string Name, TensorValue Value)> Run(
        ModelGraph graph,
        IReadOnlyDictionary<string, TensorValue> inputs,
        Action<string, TensorValue>? observe = null,
        ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        RunPlan plan = s_plans.GetValue(graph, RunPlan.For);
        if (plan.Unsupported.Count > 0)
        {
            throw new ExecutionException(UnsupportedNode.Describe(plan.Unsupported));
        }

        // The run's own values (inputs, folded constants, node outputs) shadow the graph's initializers, which stay in
        // the plan's table instead of being copied into every run's.
        var values = new Dictionary<string, TensorValue>(graph.Nodes.Length + 8, StringComparer.Ordinal);
        long liveBytes = plan.InitializerBytes;
        foreach (ValueInfo input in graph.RuntimeInputs)
        {
            if (!inputs.TryGetValue(input.Name, out TensorValue? v))
            {
                throw new ExecutionException($"no value given for graph input '{input.Name}'");
            }

            CheckInput(input, v);
            values[input.Name] = v;
            liveBytes += MemoryBudget.BytesFor(v.Type, v.Shape.AsSpan());
        }

        ConstantNodes? constants = ConstantNodes.For(graph, options ?? ExecutionOptions.Default);
        if (constants is not null)
        {
            foreach (var (name, value) in constants.Values)
            {
                values[name] = value;
                liveBytes += MemoryBudget.BytesFor(value.Type, value.Shape.AsSpan());
            }
        }

        MemoryBudget budget = (options ?? ExecutionOptions.Default).MemoryBudget;
        var lastUse = plan.LastUse;
        Func<string, bool> isInitializer = plan.Initializers.ContainsKey;
        // Arrays are recycled only when nothing outside the run can hold a value: an observer or an override may keep
        // the values it is shown. A quarter of the run budget at most waits for reuse, counted with the live values.
        TensorArena? arena = (observe is null || options?.ObserverKeepsValues == false) && options?.NodeOverride is null ? TakeArena(graph, budget) : null;
        var holders = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            Node node = graph.Nodes[i];
            if (constants is not null && constants.Folded[i])
            {
                foreach (string name in node.Outputs)
                {
                    if (name.Length > 0 && constants.Values.TryGetValue(name, out TensorValue? folded))
                    {
                        observe?.Invoke(name, folded);
                    }
                }

                continue;
            }

            var args = new TensorValue?[node.Inputs.Length];
            for (int k = 0; k < args.Length; k++)
            {
                string name = node.Inputs[k];
                if (name.Length > 0)
                {
                    args[k] = values.TryGetValue(name, out var v) || plan.Initializers.TryGetValue(name, out v) ? v : throw new ExecutionException($"node {node.Describe()}: input '{name}' has no value");
                }
            }

            TensorValue[] outputs;
            try
            {
                var context = new OpContext(node, graph.OpsetOf(node.NormalizedDomain), args, isInitializer, options);
                AllocationGuard.Check(context, args);
                var kernel = plan.Kernels[i]!;
                using (arena?.Use())
                {
                    outputs = kernel(context);
                }
            }
            catch (Exception e) when (e is OpException or ArgumentException or InvalidCastException or IndexOutOfRangeException or NotSupportedException or OverflowException or MemoryBudgetException)
            {
                throw new ExecutionException($"node {node.Describe()}: {e.Message}", e);
            }

            if (options?.NodeOverride is { } hook && hook.Overrides(node))
            {
                outputs = Replace(node, outputs, hook.Run(node, args, outputs));
            }

            for (int k = 0; k < node.Outputs.Length && k < outputs.Length; k++)
            {
                if (node.Outputs[k].Length > 0)
                {
                    if (values.TryGetValue(node.Outputs[k], out TensorValue? replaced))
                    {
                        liveBytes -= MemoryBudget.BytesFor(replaced.Type, replaced.Shape.AsSpan());
                        Release(arena, holders, replaced);
                    }

                    values[node.Outputs[k]] = outputs[k];
                    Hold(holders, outputs[k]);
                    liveBytes += MemoryBudget.BytesFor(outputs[k].Type, outputs[k].Shape.AsSpan());
                    observe?.Invoke(node.Outputs[k], outputs[k]);
                }
            }

            try
            {
                // Each tensor was checked before it was made, so the run can overshoot by at most one tensor.
                budget.CheckRun($"node {node.Describe()}", liveBytes + (arena?.FreeBytes ?? 0));
            }
            catch (MemoryBudgetException e)
            {
                throw new ExecutionException(e.Message, e);
            }

            foreach (string name in node.Inputs)
            {
                if (name.Length > 0 && lastUse.TryGetValue(name, out int last) && last == i && !plan.Initializers.ContainsKey(name)
                    && !(constants?.Values.ContainsKey(name) ?? false) && values.Remove(name, out TensorValue? released))
                {
                    liveBytes -= MemoryBudget.BytesFor(released.Type, released.Shape.AsSpan());
                    Release(arena, holders, released);
                }
            }

            // Outputs nobody reads (a LayerNormalization's mean, say) are dead at once.
            foreach (string name in node.Outputs)
            {
                if (name.Length > 0 && !lastUse.ContainsKey(name) && values.Remove(name, out TensorValue? unread))
                {
                    liveBytes -= MemoryBudget.BytesFor(unread.Type, unread.Shape.AsSpan());
                    Release(arena, holders, unread);
                }
            }
        }

        var result = new List<(string, TensorValue)>();
        foreach (ValueInfo o in graph.Outputs)
        {
            result.Add((o.Name, values.TryGetValue(o.Name, out var v) || plan.Initializers.TryGetValue(o.Name, out v) ? v : throw new ExecutionException($"graph output '{o.Name}' was not produced")));
        }

        if (arena is not null)
        {
            KeepArena(graph, budget, arena);
        }

        return result;
    }

    // The free arrays of a graph's last run wait for its next one (issue 18: a fresh large array costs more than the
    // kernel that fills it, and every run of a graph asks for the same sizes). One arena per graph, taken by one run at
    // a time; a run that finds none (the first, or one beside another run) makes its own.
    private static readonly ConditionalWeakTable<ModelGraph, ArenaSlot> s_arenas = new();

    // Free arrays kept between runs at most; a graph whose runs free more leaves the rest to the GC.
    private const long KeptArenaBytes = 256L * 1024 * 1024;

    private sealed class ArenaSlot
    {
        public TensorArena? Arena;
    }

    // Only under the default budget: the free arrays count against the run budget, and a caller who set a tight one
    // gets each run measured alone, as before.
    private static TensorArena TakeArena(ModelGraph graph, MemoryBudget budget)
    {
        long capacityBytes = budget.PerRunBytes / 4;
        if (budget != MemoryBudget.Default)
        {
            return new TensorArena(capacityBytes);
        }

        TensorArena? kept = Interlocked.Exchange(ref s_arenas.GetOrCreateValue(graph).Arena, null);
        return kept ?? new TensorArena(capacityBytes);
    }

    private static void KeepArena(ModelGraph graph, MemoryBudget budget, TensorArena arena)
    {
        // The outputs were handed out and now belong to the caller; the arena must neither reuse nor hold them.
        arena.ForgetIssued();
        if (budget == MemoryBudget.Default && arena.FreeBytes <= KeptArenaBytes)
        {
            Volatile.Write(ref s_arenas.GetOrCreateValue(graph).Arena, arena);
        }
    }

    // Values share arrays (Reshape, Flatten, Identity hand their input's storage on), so an array goes back to the
    // arena only when the last value holding it is released.
    private static void Hold(Dictionary<Array, int> holders, TensorValue value) =>
        holders[value.Data] = holders.GetValueOrDefault(value.Data) + 1;

    private static void Release(TensorArena? arena, Dictionary<Array, int> holders, TensorValue value)
    {
        if (!holders.TryGetValue(value.Data, out int count))
        {
            return;
        }

        if (count > 1)
        {
            holders[value.Data] = count - 1;
            return;
        }

        holders.Remove(value.Data);
        arena?.Return(value.Data);
    }

    // An override must keep the node's contract: the same number of outputs with the same types and shapes, so the
    // nodes after it run as they would have.
    private static TensorValue[] Replace(Node node, TensorValue[] computed, IReadOnlyList<TensorValue> replacement)
    {
        if (replacement.Count != computed.Length)
        {
            throw new ExecutionException($"node {node.Describe()}: the override returned {replacement.Count} outputs, the node has {computed.Length}");
        }

        for (int k = 0; k < computed.Length; k++)
        {
            TensorValue want = computed[k], got = replacement[k];
            if (got.Type != want.Type || !got.Shape.SequenceEqual(want.Shape))
            {
                throw new ExecutionException($"node {node.Describe()}: override output {k} is {got}, the node produces {want}");
            }
        }

        return [.. replacement];
    }

    private static void CheckInput(ValueInfo declared, TensorValue given)
    {
        if (declared.Type != DataType.Undefined && declared.Type != given.Type)
        {
            throw new ExecutionException($"graph input '{declared.Name}' is {DataTypeInfo.Name(declared.Type)} but the value given is {DataTypeInfo.Name(given.Type)}");
        }

        if (declared.Dims.Length > 0)
        {
            bool rankOk = declared.Dims.Length == given.Rank;
            bool dimsOk = rankOk && declared.Dims.Select((d, i) => d is null || d == given.Shape[i]).All(ok => ok);
            if (!dimsOk)
            {
                string want = declared.DimsText;
                throw new ExecutionException($"graph input '{declared.Name}' has shape {want} but the value given is {given.ShapeText}");
            }
        }
    }

    private static readonly ConditionalWeakTable<ModelGraph, RunPlan> s_plans = new();

    /// <summary>
    /// What every run of a graph needs and no run changes, worked out once per graph (a graph is immutable): a run of a
    /// small transformer spent a tenth of its time rebuilding these tables (issue 18).
    /// </summary>
    private sealed class RunPlan
    {
        public required IReadOnlyList<UnsupportedNode> Unsupported { get; init; }

        /// <summary>The initializers by name, in a hash table (the graph's own is an immutable tree).</summary>
        public required Dictionary<string, TensorValue> Initializers { get; init; }

        /// <summary>Bytes the initializers hold: they are live for the whole run.</summary>
        public required long InitializerBytes { get; init; }

        /// <summary>The index of each value's last reader; graph outputs never die.</summary>
        public required Dictionary<string, int> LastUse { get; init; }

        /// <summary>Each node's kernel (null only when <see cref="Unsupported"/> is not empty).</summary>
        public required Func<OpContext, TensorValue[]>?[] Kernels { get; init; }

        public static RunPlan For(ModelGraph graph)
        {
            var initializers = new Dictionary<string, TensorValue>(graph.Initializers, StringComparer.Ordinal);
            return new RunPlan
            {
                Unsupported = FindUnsupported(graph),
                Initializers = initializers,
                InitializerBytes = initializers.Values.Sum(v => MemoryBudget.BytesFor(v.Type, v.Shape.AsSpan())),
                LastUse = LastUse(graph),
                Kernels = [.. graph.Nodes.Select(n => OpRegistry.Find(n.NormalizedDomain, n.OpType))],
            };
        }
    }

    private static Dictionary<string, int> LastUse(ModelGraph graph)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            foreach (string name in graph.Nodes[i].Inputs)
            {
                last[name] = i;
            }
        }

        foreach (ValueInfo o in graph.Outputs)
        {
            last[o.Name] = int.MaxValue;
        }

        return last;
    }
}
