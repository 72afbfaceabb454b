using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// A mutable working copy of a <see cref="ModelGraph"/> for rewrite passes: node list, initializers, and producer /
/// consumer lookups. Passes edit it and call <see cref="ToGraph"/>; node order stays the original order with new
/// nodes placed where the nodes they replace stood, so the result remains topologically sorted.
/// </summary>
public sealed class GraphEditor
{
    private readonly ModelGraph _source;
    private readonly Dictionary<string, TensorValue> _initializers;
    private readonly HashSet<string> _graphOutputs;
    private int _nameCounter;

    public GraphEditor(ModelGraph graph, MemoryBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _source = graph;
        Budget = budget ?? MemoryBudget.Default;
        Nodes = new NodeList(graph.Nodes);
        _graphOutputs = new HashSet<string>(graph.Outputs.Select(o => o.Name), StringComparer.Ordinal);
        _initializers = new Dictionary<string, TensorValue>(graph.Initializers, StringComparer.Ordinal);
        Types = TypeInference.Infer(graph);
    }

    /// <summary>The nodes in execution order; passes may replace, insert and remove entries, and the list keeps its
    /// producer, consumer and name indexes up to date as they do.</summary>
    public NodeList Nodes { get; }

    /// <summary>Element types of every value, kept up to date by passes that retype values.</summary>
    public Dictionary<string, DataType> Types { get; }

    public IReadOnlyDictionary<string, TensorValue> Initializers => _initializers;

    /// <summary>What a constant the passes compute (constant folding) may take; checked before it is allocated.</summary>
    public MemoryBudget Budget { get; }

    public ModelGraph Source => _source;

    public bool IsGraphOutput(string value) => _graphOutputs.Contains(value);

    public bool IsConstant(string value) => _initializers.ContainsKey(value);

    public TensorValue? Constant(string value) => value.Length > 0 && _initializers.TryGetValue(value, out var t) ? t : null;

    public void SetInitializer(string name, TensorValue value)
    {
        _initializers[name] = value;
        Types[name] = value.Type;
    }

    /// <summary>The node producing <paramref name="value"/>, or null for inputs and initializers.</summary>
    public Node? Producer(string value) => Nodes.Producer(value);

    /// <summary>Every (node, input slot) reading <paramref name="value"/>, in node order.</summary>
    public List<(Node Node, int Slot)> Consumers(string value) => Nodes.Consumers(value);

    public DataType TypeOf(string value) => Types.TryGetValue(value, out var t) ? t : DataType.Undefined;

    /// <summary>A value name not yet used in the graph, derived from <paramref name="stem"/>.</summary>
    public string FreshName(string stem)
    {
        string name;
        do
        {
            name = $"{stem}/siliconsim_{_nameCounter++}";
        }
        while (_initializers.ContainsKey(name) || Types.ContainsKey(name) || Nodes.HasNodeNamed(name));

        return name;
    }

    public void Replace(Node oldNode, Node newNode) => Nodes[Nodes.IndexOf(oldNode)] = newNode;

    /// <summary>The number of changes made to <see cref="Nodes"/> so far: equal before and after a pass that changed nothing.</summary>
    public long Version => Nodes.Version;

    public void Remove(Node node) => Nodes.Remove(node);

    /// <summary>Builds the edited graph, dropping initializers nothing reads any more, and bringing the source's
    /// value_info up to date: entries for values the passes removed are dropped (a fusion removes the intermediates it
    /// swallows), and a value a pass retyped (S8→U8, for one) is declared with its new type from <see cref="Types"/>.</summary>
    public ModelGraph ToGraph()
    {
        var used = new HashSet<string>(Nodes.SelectMany(n => n.Inputs), StringComparer.Ordinal);
        used.UnionWith(_source.Outputs.Select(o => o.Name));
        used.UnionWith(_source.Inputs.Select(o => o.Name));
        var inits = _initializers.Where(kv => used.Contains(kv.Key)).ToImmutableDictionary(StringComparer.Ordinal);

        var exists = new HashSet<string>(Nodes.SelectMany(n => n.Outputs), StringComparer.Ordinal);
        exists.UnionWith(inits.Keys);
        exists.UnionWith(_source.Inputs.Select(o => o.Name));
        exists.UnionWith(_source.Outputs.Select(o => o.Name));
        var infos = _source.ValueInfos
            .Where(kv => exists.Contains(kv.Key))
            .ToImmutableDictionary(
                kv => kv.Key,
                kv => Types.TryGetValue(kv.Key, out DataType t) && t != DataType.Undefined && t != kv.Value.Type ? kv.Value with { Type = t } : kv.Value,
                StringComparer.Ordinal);
        return _source with { Nodes = [.. Nodes], Initializers = inits, ValueInfos = infos };
    }
}
