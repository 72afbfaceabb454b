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
            opsets[domain] = checked((int)op.Version);
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
            if (!available.Contains(o.Name) && !sorted.Any(n => n.Outputs.Contains(o.Name)))
            {
                throw new OnnxFormatException($"graph output '{o.Name}' is produced by no node");
            }
        }

        return new ModelGraph(g.Name, [.. sorted], initializers.ToImmutable(), inputs, outputs, valueInfos.ToImmutable(), opsets);
    }

    /// <summary>Kahn's algorithm, stable in the file's node order, so execution order never depends on hashing.</summary>
    private static List<Node> TopologicalSort(List<Node> nodes, HashSet<string> available)
    {
        var result = new List<Node>(nodes.Count);
        var pending = new List<Node>(nodes);
        var produced = new HashSet<string>(available, StringComparer.Ordinal);
        bool progress = true;
        while (pending.Count > 0 && progress)
        {
            progress = false;
            for (int i = 0; i < pending.Count; i++)
            {
                Node n = pending[i];
                if (n.Inputs.All(x => x.Length == 0 || produced.Contains(x)))
                {
                    result.Add(n);
                    produced.UnionWith(n.Outputs.Where(o => o.Length > 0));
                    pending.RemoveAt(i);
                    i--;
                    progress = true;
                }
            }
        }

        if (pending.Count > 0)
        {
            Node n = pending[0];
            string missing = n.Inputs.First(x => x.Length > 0 && !produced.Contains(x));
            throw new OnnxFormatException($"node {n.Describe()} reads '{missing}', which no node, input or initializer provides (or the graph has a cycle)");
        }

        available.UnionWith(produced);
        return result;
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
        TensorValue values = TensorProtos.FromProto(s.Values, external);
        TensorValue indices = TensorProtos.FromProto(s.Indices, external);
        int[] shape = TensorProtos.ToShape(s.Dims, $"sparse tensor '{s.Values.Name}'");
        TensorValue dense = TensorValue.Zeros(values.Type, shape);
        long[] idx = indices.Items<long>();
        int rank = shape.Length;
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
                    flat += idx[(i * rank) + d] * strides[d];
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
