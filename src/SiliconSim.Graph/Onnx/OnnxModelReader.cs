using System.Collections.Immutable;
using Google.Protobuf;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Onnx;

/// <summary>
/// Reads an ONNX <c>ModelProto</c> from a stream into a <see cref="ModelGraph"/>: nodes in topological order,
/// decoded initializers (external data through <see cref="IExternalData"/>), declared value types and the opsets.
/// </summary>
public static class OnnxModelReader
{
    /// <summary>Parses and imports a model.</summary>
    /// <exception cref="OnnxFormatException">the bytes are not a valid model, or the graph is malformed.</exception>
    public static ModelGraph Read(Stream stream, IExternalData? external = null)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            string why = e.Message.Contains("ended unexpectedly", StringComparison.Ordinal)
                ? "the data ends in the middle of a field (is the file truncated?)"
                : Shorten(e.Message);
            throw new OnnxFormatException($"not a valid ONNX model: {why}", e);
        }

        return Import(proto, external);
    }

    /// <summary>Imports an already parsed model.</summary>
    public static ModelGraph Import(ModelProto proto, IExternalData? external = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (proto.Graph is null)
        {
            throw new OnnxFormatException("the model has no graph (the file may be truncated or not an ONNX model)");
        }

        var opsets = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var op in proto.OpsetImport)
        {
            string domain = op.Domain is "ai.onnx" ? string.Empty : op.Domain;
            // Opsets run from 1 to the low twenties; a version past int is a corrupt field, not a future opset.
            opsets[domain] = op.Version is >= 0 and <= int.MaxValue
                ? (int)op.Version
                : throw new OnnxFormatException($"opset_import '{(domain.Length == 0 ? "ai.onnx" : domain)}' has version {op.Version}, outside 0..{int.MaxValue}");
        }

        if (!opsets.ContainsKey(string.Empty))
        {
            throw new OnnxFormatException("the model imports no default-domain opset");
        }

        return ImportGraph(proto.Graph, opsets.ToImmutable(), external, outerScope: null) with { ProducerName = proto.ProducerName };
    }

    private static ModelGraph ImportGraph(GraphProto g, ImmutableDictionary<string, int> opsets, IExternalData? external, ISet<string>? outerScope)
    {
        var initializers = ImmutableDictionary.CreateBuilder<string, TensorValue>(StringComparer.Ordinal);
        foreach (var t in g.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name))
            {
                throw new OnnxFormatException("an initializer has no name");
            }

            initializers[t.Name] = TensorProtos.FromProto(t, external);
        }

        foreach (var s in g.SparseInitializer)
        {
            initializers[s.Values.Name] = SparseToDense(s, external);
        }

        var inputs = g.Input.Select(v => ToValueInfo(v)).ToImmutableArray();
        var outputs = g.Output.Select(v => ToValueInfo(v)).ToImmutableArray();
        var valueInfos = ImmutableDictionary.CreateBuilder<string, ValueInfo>(StringComparer.Ordinal);
        foreach (var v in g.ValueInfo.Concat(g.Input).Concat(g.Output))
        {
            if (v.Type?.TensorType is not null)
            {
                valueInfos[v.Name] = ToValueInfo(v);
            }
        }

        var nodes = new List<Node>(g.Node.Count);
        for (int i = 0; i < g.Node.Count; i++)
        {
            nodes.Add(ToNode(g.Node[i], i, opsets, external));
        }

        var available = new HashSet<string>(StringComparer.Ordinal);
        available.UnionWith(initializers.Keys);
        available.UnionWith(inputs.Select(i => i.Name));
        if (outerScope is not null)
        {
            available.UnionWith(outerScope);
        }

        var sorted = TopologicalSort(nodes, available);
        foreach (var o in outputs)
        {
            // The sort added every value the nodes produce to the available ones.
            if (!available.Contains(o.Name))
            {
                throw new OnnxFormatException($"graph output '{o.Name}' is produced by no node");
            }
        }

        var graph = new ModelGraph(g.Name, [.. sorted], initializers.ToImmutable(), inputs, outputs, valueInfos.ToImmutable(), opsets);
        if (GraphVerifier.DuplicateProducers(graph) is [GraphProblem duplicate, ..])
        {
            throw new OnnxFormatException(duplicate.Message);
        }

        return graph;
    }

    /// <summary>
    /// The order of the repeated-scan topological sort this reader has always used (and which the pinned results were
    /// made with): scan the pending nodes in file order, take every node whose inputs are all produced by then, and
    /// repeat until a scan takes nothing. Computed in linear time: a node is taken in scan
    /// r(n) = max(1, max over its inputs of r(p) + (p after n in the file ? 1 : 0)), p the input's producer, so the
    /// result is the nodes sorted by (scan, file index). Nodes on a cycle or reading a value nothing provides are never
    /// taken; the first of them in file order is reported, with the first input it lacks.
    /// </summary>
    private static List<Node> TopologicalSort(List<Node> nodes, HashSet<string> available)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string o in nodes[i].Outputs)
            {
                if (o.Length > 0 && !available.Contains(o))
                {
                    producer.TryAdd(o, i);
                }
            }
        }

        // Kahn's algorithm over producer -> reader edges, to visit every producer before its readers.
        var readers = new List<int>?[nodes.Count];
        int[] waiting = new int[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string x in nodes[i].Inputs)
            {
                if (x.Length == 0 || available.Contains(x))
                {
                    continue;
                }

                if (!producer.TryGetValue(x, out int p))
                {
                    waiting[i] = int.MaxValue;
                    break;
                }

                (readers[p] ??= []).Add(i);
                waiting[i]++;
            }
        }

        int[] scan = new int[nodes.Count];
        var ready = new Queue<int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i);
            }
        }

        var taken = new List<int>(nodes.Count);
        while (ready.Count > 0)
        {
            int n = ready.Dequeue();
            int r = 1;
            foreach (string x in nodes[n].Inputs)
            {
                if (x.Length > 0 && producer.TryGetValue(x, out int p))
                {
                    r = Math.Max(r, scan[p] + (p > n ? 1 : 0));
                }
            }

            scan[n] = r;
            taken.Add(n);
            foreach (int reader in readers[n] ?? [])
            {
                if (waiting[reader] != int.MaxValue && --waiting[reader] == 0)
                {
                    ready.Enqueue(reader);
                }
            }
        }

        var produced = new HashSet<string>(available, StringComparer.Ordinal);
        foreach (int n in taken)
        {
            produced.UnionWith(nodes[n].Outputs.Where(o => o.Length > 0));
        }

        if (taken.Count < nodes.Count)
        {
            var isTaken = new bool[nodes.Count];
            taken.ForEach(n => isTaken[n] = true);
            Node n = nodes[Array.IndexOf(isTaken, false)];
            string missing = n.Inputs.First(x => x.Length > 0 && !produced.Contains(x));
            throw new OnnxFormatException($"node {n.Describe()} reads '{missing}', which no node, input or initializer provides (or the graph has a cycle)");
        }

        taken.Sort((a, b) => scan[a] != scan[b] ? scan[a].CompareTo(scan[b]) : a.CompareTo(b));
        available.UnionWith(produced);
        return taken.ConvertAll(n => nodes[n]);
    }

    private static Node ToNode(NodeProto n, int index, ImmutableDictionary<string, int> opsets, IExternalData? external)
    {
        string name = string.IsNullOrEmpty(n.Name) ? $"{n.OpType}_{index}" : n.Name;
        if (string.IsNullOrEmpty(n.OpType))
        {
            throw new OnnxFormatException($"node '{name}' has no op_type");
        }

        var attributes = ImmutableDictionary.CreateBuilder<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var a in n.Attribute)
        {
            attributes[a.Name] = ToAttribute(a, name, opsets, external);
        }

        return new Node(name, n.OpType, n.Domain, [.. n.Input], [.. n.Output], attributes.ToImmutable());
    }

    private static AttributeValue ToAttribute(AttributeProto a, string nodeName, ImmutableDictionary<string, int> opsets, IExternalData? external)
    {
        var type = a.Type;
        if (type == AttributeProto.Types.AttributeType.Undefined)
        {
            type = InferAttributeType(a);
        }

        return type switch
        {
            AttributeProto.Types.AttributeType.Float => new AttributeValue(AttributeKind.Float) { Float = a.F },
            AttributeProto.Types.AttributeType.Int => new AttributeValue(AttributeKind.Int) { Int = a.I },
            AttributeProto.Types.AttributeType.String => new AttributeValue(AttributeKind.String) { String = a.S.ToStringUtf8() },
            AttributeProto.Types.AttributeType.Tensor => new AttributeValue(AttributeKind.Tensor) { Tensor = TensorProtos.FromProto(a.T, external) },
            AttributeProto.Types.AttributeType.Graph => new AttributeValue(AttributeKind.Graph) { Graph = ImportSubgraph(a.G, opsets, external) },
            AttributeProto.Types.AttributeType.Floats => new AttributeValue(AttributeKind.Floats) { Floats = [.. a.Floats] },
            AttributeProto.Types.AttributeType.Ints => new AttributeValue(AttributeKind.Ints) { Ints = [.. a.Ints] },
            AttributeProto.Types.AttributeType.Strings => new AttributeValue(AttributeKind.Strings) { Strings = [.. a.Strings.Select(s => s.ToStringUtf8())] },
            AttributeProto.Types.AttributeType.Tensors => new AttributeValue(AttributeKind.Tensors) { Tensors = [.. a.Tensors.Select(t => TensorProtos.FromProto(t, external))] },
            AttributeProto.Types.AttributeType.Graphs => new AttributeValue(AttributeKind.Graphs) { Graphs = [.. a.Graphs.Select(g => ImportSubgraph(g, opsets, external))] },
            AttributeProto.Types.AttributeType.SparseTensor => new AttributeValue(AttributeKind.SparseTensor) { Tensor = SparseToDense(a.SparseTensor, external) },
            AttributeProto.Types.AttributeType.SparseTensors => new AttributeValue(AttributeKind.SparseTensors) { Tensors = [.. a.SparseTensors.Select(s => SparseToDense(s, external))] },
            AttributeProto.Types.AttributeType.TypeProto => new AttributeValue(AttributeKind.TypeProto),
            AttributeProto.Types.AttributeType.TypeProtos => new AttributeValue(AttributeKind.TypeProtos),
            _ => throw new OnnxFormatException($"node '{nodeName}': attribute '{a.Name}' has unknown type {(int)a.Type}"),
        };
    }

    // IR version 1 models may omit the attribute type; infer it from the populated field, as ONNX's checker does.
    private static AttributeProto.Types.AttributeType InferAttributeType(AttributeProto a) =>
        a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
        : a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints
        : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
        : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
        : a.G is not null ? AttributeProto.Types.AttributeType.Graph
        : !a.S.IsEmpty ? AttributeProto.Types.AttributeType.String
        : a.F != 0 ? AttributeProto.Types.AttributeType.Float
        : AttributeProto.Types.AttributeType.Int;

    private static ModelGraph ImportSubgraph(GraphProto g, ImmutableDictionary<string, int> opsets, IExternalData? external)
    {
        // Subgraphs may read outer-scope values; accept any name the subgraph itself does not define.
        var outer = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in g.Node)
        {
            outer.UnionWith(n.Input);
        }

        return ImportGraph(g, opsets, external, outer);
    }

    private static TensorValue SparseToDense(SparseTensorProto s, IExternalData? external)
    {
        string what = $"sparse tensor '{s.Values?.Name}'";
        if (s.Values is null || s.Indices is null)
        {
            throw new OnnxFormatException($"{what} lacks its values or its indices");
        }

        TensorValue values = TensorProtos.FromProto(s.Values, external);
        TensorValue indices = TensorProtos.FromProto(s.Indices, external);
        int[] shape = TensorProtos.ToShape(s.Dims, what);
        int rank = shape.Length;

        // ONNX SparseTensorProto: values is [NNZ]; indices int64 [NNZ] (linear) or [NNZ, rank] (coordinates).
        if (values.Rank != 1 || indices.Type != DataType.Int64
            || !(indices.Rank == 1 && indices.Shape[0] == values.Length || indices.Rank == 2 && indices.Shape[0] == values.Length && indices.Shape[1] == rank))
        {
            throw new OnnxFormatException(
                $"{what}: values {values.ShapeText} and {DataTypeInfo.Name(indices.Type)} indices {indices.ShapeText} do not fit dims {ShapeMath.Format(shape)} (want values [NNZ] and int64 indices [NNZ] or [NNZ,{rank}])");
        }

        try
        {
            // The dense tensor is made at import, before any run settings: the default budget bounds it.
            MemoryBudget.Default.CheckTensor($"{what}: its dense form", values.Type, shape);
        }
        catch (MemoryBudgetException e)
        {
            throw new OnnxFormatException(e.Message, e);
        }

        TensorValue dense = TensorValue.Zeros(values.Type, shape);
        long[] idx = indices.Items<long>();
        int[] strides = ShapeMath.Strides(shape);
        bool linear = indices.Rank == 1;
        for (int i = 0; i < values.Length; i++)
        {
            long flat = 0;
            if (linear)
            {
                flat = idx[i];
            }
            else
            {
                for (int d = 0; d < rank; d++)
                {
                    long at = idx[(i * rank) + d];
                    flat = at < 0 || at >= shape[d] ? -1 : flat + (at * strides[d]);
                    if (flat < 0)
                    {
                        break;
                    }
                }
            }

            if (flat < 0 || flat >= dense.Length)
            {
                throw new OnnxFormatException($"sparse tensor '{s.Values.Name}' has an index outside its shape");
            }

            dense.Data.SetValue(values.Data.GetValue(i), flat);
        }

        return dense;
    }

    private static ValueInfo ToValueInfo(ValueInfoProto v)
    {
        var t = v.Type?.TensorType;
        if (t is null)
        {
            return new ValueInfo(v.Name, DataType.Undefined, []);
        }

        var dims = t.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0 && d.DimValue <= int.MaxValue ? (int?)d.DimValue : null).ToImmutableArray() ?? [];
        return new ValueInfo(v.Name, (DataType)t.ElemType, dims);
    }

    private static string Shorten(string message)
    {
        int stop = message.IndexOf(". ", StringComparison.Ordinal);
        return stop > 0 ? message[..stop] : message;
    }
}
