using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// The quantizers' mutable copy of a graph (ORT's ONNXModel): nodes, initializers in insertion order, element types.
/// </summary>
internal sealed class WorkGraph
{
    private readonly ModelGraph _source;
    private readonly List<string> _initializerOrder = [];

    public WorkGraph(ModelGraph graph)
    {
        _source = graph;
        Nodes = [.. graph.Nodes.Select(WorkNode.From)];
        foreach (var (name, value) in graph.Initializers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            AddInitializer(name, value);
        }

        Types = TypeInference.Infer(graph);
    }

    public List<WorkNode> Nodes { get; private set; }

    public Dictionary<string, TensorValue> Initializers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DataType> Types { get; }

    public ModelGraph Source => _source;

    public bool IsGraphOutput(string name) => _source.Outputs.Any(o => o.Name == name);

    public bool IsGraphInput(string name) => _source.Inputs.Any(o => o.Name == name);

    public bool IsInitializer(string name) => Initializers.ContainsKey(name);

    public bool IsFloat(string name) => name.Length > 0 && (Initializers.TryGetValue(name, out var t) ? t.Type is DataType.Float or DataType.Float16 : Types.TryGetValue(name, out var d) && d is DataType.Float or DataType.Float16);

    /// <summary>Adds an initializer unless one of that name exists (ONNXModel.add_initializer).</summary>
    public void AddInitializer(string name, TensorValue value)
    {
        if (Initializers.TryAdd(name, value))
        {
            _initializerOrder.Add(name);
        }
    }

    public void RemoveInitializer(string name)
    {
        if (Initializers.Remove(name))
        {
            _initializerOrder.Remove(name);
        }
    }

    public int ConsumerCount(string value) => Nodes.Sum(n => n.Inputs.Count(i => i == value));

    public void ReplaceInputOfAllNodes(string oldName, string newName)
    {
        foreach (WorkNode n in Nodes)
        {
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                if (n.Inputs[i] == oldName)
                {
                    n.Inputs[i] = newName;
                }
            }
        }
    }

    public void ReplaceOutputOfAllNodes(string oldName, string newName)
    {
        foreach (WorkNode n in Nodes)
        {
            for (int i = 0; i < n.Outputs.Count; i++)
            {
                if (n.Outputs[i] == oldName)
                {
                    n.Outputs[i] = newName;
                }
            }
        }
    }

    /// <summary>The graph with <paramref name="nodes"/> (sorted topologically, stably), initializers nothing reads
    /// dropped, and the given opsets and producer.</summary>
    public ModelGraph Build(IEnumerable<WorkNode> nodes, string producer)
    {
        var list = nodes.Select(n => n.ToNode()).ToList();
        var sorted = Sort(list);
        var used = new HashSet<string>(sorted.SelectMany(n => n.Inputs), StringComparer.Ordinal);
        used.UnionWith(_source.Outputs.Select(o => o.Name));
        var inits = ImmutableDictionary.CreateBuilder<string, TensorValue>(StringComparer.Ordinal);
        foreach (string name in _initializerOrder)
        {
            if (used.Contains(name))
            {
                inits[name] = Initializers[name];
            }
        }

        var opsets = _source.Opsets;
        if (sorted.Any(n => n.NormalizedDomain == "com.microsoft") && !opsets.ContainsKey("com.microsoft"))
        {
            opsets = opsets.SetItem("com.microsoft", 1);
        }

        var inputs = _source.Inputs.Where(i => !_source.Initializers.ContainsKey(i.Name) || inits.ContainsKey(i.Name)).ToImmutableArray();
        return _source with
        {
            Nodes = [.. sorted],
            Initializers = inits.ToImmutable(),
            Inputs = inputs,
            ValueInfos = ImmutableDictionary<string, ValueInfo>.Empty.WithComparers(StringComparer.Ordinal),
            Opsets = opsets,
            ProducerName = producer,
        };
    }

    /// <summary>
    /// ONNXModel.topological_sort, which ORT's quantizer applies when it saves: nodes without inputs first, then nodes
    /// freed by the sorted initializer and graph-input names, then breadth-first through produced outputs.
    /// </summary>
    private List<Node> Sort(List<Node> nodes)
    {
        var deps = new int[nodes.Count];
        var readers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var sorted = new List<Node>(nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            deps[i] = nodes[i].Inputs.Count(x => x.Length > 0);
            if (deps[i] == 0)
            {
                sorted.Add(nodes[i]);
                continue;
            }

            foreach (string input in nodes[i].Inputs.Where(x => x.Length > 0))
            {
                if (!readers.TryGetValue(input, out var list))
                {
                    readers[input] = list = [];
                }

                list.Add(i);
            }
        }

        var sources = Initializers.Keys.Concat(_source.Inputs.Select(i => i.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string name in sources)
        {
            Release(name);
        }

        for (int start = 0; start < sorted.Count; start++)
        {
            foreach (string output in sorted[start].Outputs)
            {
                Release(output);
            }
        }

        if (sorted.Count != nodes.Count)
        {
            var missing = nodes.First(n => !sorted.Contains(n));
            throw new InvalidOperationException($"the quantized graph has a node whose input nothing produces: {missing.Describe()}");
        }

        return sorted;

        void Release(string value)
        {
            if (readers.TryGetValue(value, out var list))
            {
                foreach (int i in list)
                {
                    if (--deps[i] == 0)
                    {
                        sorted.Add(nodes[i]);
                    }
                }
            }
        }
    }
}
