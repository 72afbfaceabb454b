using SiliconSim.Cli.Io;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Cli.Validation;

/// <summary>
/// Maps the names a user asks to trace (nodes or tensors of the model as written) to tensors of the lowered graph.
/// The lowering fuses DQ→op→Q units into one integer node that keeps the op's node name and the Q's output name, so a
/// node name maps to the lowered node's outputs; a tensor inside a fused unit no longer exists, and the resolver says
/// which lowered tensor carries on from it.
/// </summary>
internal sealed class TraceResolver
{
    private readonly ModelGraph _original;
    private readonly ModelGraph _lowered;
    private readonly Dictionary<string, Node> _loweredProducers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loweredSources;

    public TraceResolver(ModelGraph original, ModelGraph lowered)
    {
        _original = original;
        _lowered = lowered;
        foreach (Node n in lowered.Nodes)
        {
            foreach (string o in n.Outputs.Where(o => o.Length > 0))
            {
                _loweredProducers.TryAdd(o, n);
            }
        }

        _loweredSources = [.. lowered.RuntimeInputs.Select(i => i.Name), .. lowered.Initializers.Keys];
    }

    /// <summary>Notes about names that could not be traced as asked (each says what to trace instead).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Every tensor the lowered graph computes, in execution order.</summary>
    public IReadOnlyList<TraceTarget> All() =>
        [.. _lowered.Nodes.SelectMany(n => n.Outputs.Where(o => o.Length > 0).Select(o => new TraceTarget(o, Describe(n))))];

    /// <summary>Whether <paramref name="tensor"/> exists in the lowered graph (computed, fed or constant).</summary>
    public bool Exists(string tensor) => _loweredProducers.ContainsKey(tensor) || _loweredSources.Contains(tensor);

    /// <summary>The lowered tensors for a node name or tensor name; an unknown name is bad input.</summary>
    /// <param name="name">A node name of the original (or lowered) model, or a tensor name.</param>
    /// <param name="modelPath">The model, for the error message.</param>
    /// <param name="source">Where the name came from, for the error message.</param>
    public IReadOnlyList<TraceTarget> Resolve(string name, string modelPath, string source = "--trace-node")
    {
        var loweredNodes = _lowered.Nodes.Where(n => n.Name == name && name.Length > 0).ToList();
        if (loweredNodes.Count > 0)
        {
            var original = _original.Nodes.FirstOrDefault(n => n.Name == name);
            foreach (Node n in loweredNodes.Where(n => original is not null && (n.OpType != original.OpType || n.NormalizedDomain != original.NormalizedDomain)))
            {
                Notes.Add($"node '{name}' ({original!.OpType}) runs as {Op(n)} after lowering; its traced output is the fused unit's");
            }

            return [.. loweredNodes.SelectMany(n => n.Outputs.Where(o => o.Length > 0).Select(o => new TraceTarget(o, Describe(n))))];
        }

        var originalNode = _original.Nodes.FirstOrDefault(n => n.Name == name && name.Length > 0);
        if (originalNode is not null)
        {
            return [.. originalNode.Outputs.Where(o => o.Length > 0).SelectMany(o => ResolveTensor(o, $" (output of node '{name}', {originalNode.OpType})"))];
        }

        bool known = Exists(name)
            || _original.Nodes.Any(n => n.Outputs.Contains(name))
            || _original.Inputs.Any(i => i.Name == name)
            || _original.Initializers.ContainsKey(name);
        if (!known)
        {
            throw new UserInputException(modelPath, $"{source} '{name}': the model has no node or tensor of that name (see 'siliconsim inspect {modelPath}')");
        }

        return ResolveTensor(name, string.Empty);
    }

    private List<TraceTarget> ResolveTensor(string tensor, string context)
    {
        if (_loweredProducers.TryGetValue(tensor, out Node? producer))
        {
            return [new TraceTarget(tensor, Describe(producer))];
        }

        if (_loweredSources.Contains(tensor))
        {
            return [new TraceTarget(tensor, _lowered.Initializers.ContainsKey(tensor) ? "initializer" : "graph input")];
        }

        var successors = Successors(tensor);
        string instead = successors.Count == 0
            ? "nothing computed after lowering depends on it"
            : "it is folded into " + string.Join(" and ", successors.Select(s => $"{Describe(_loweredProducers[s])}; trace '{s}' instead"));
        Notes.Add($"tensor '{tensor}'{context} no longer exists after lowering (ONNX Runtime's CPU provider fuses it away too): {instead}");
        return [];
    }

    /// <summary>The first tensors downstream of <paramref name="tensor"/> in the original graph that the lowered graph
    /// still computes: the outputs of the fused units that swallowed it.</summary>
    private List<string> Successors(string tensor)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { tensor };
        var queue = new Queue<string>([tensor]);
        while (queue.Count > 0)
        {
            string t = queue.Dequeue();
            foreach (Node consumer in _original.Nodes.Where(n => n.Inputs.Contains(t)))
            {
                foreach (string o in consumer.Outputs.Where(o => o.Length > 0 && seen.Add(o)))
                {
                    if (_loweredProducers.ContainsKey(o))
                    {
                        found.Add(o);
                    }
                    else
                    {
                        queue.Enqueue(o);
                    }
                }
            }
        }

        return found;
    }

    private static string Op(Node n) => n.NormalizedDomain.Length == 0 ? n.OpType : $"{n.NormalizedDomain}.{n.OpType}";

    private static string Describe(Node n) => $"node '{n.Name}' ({Op(n)})";
}
