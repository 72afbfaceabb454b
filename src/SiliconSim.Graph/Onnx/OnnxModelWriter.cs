using Google.Protobuf;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Onnx;

/// <summary>
/// Writes a <see cref="ModelGraph"/> as an ONNX <c>ModelProto</c>: nodes in order, initializers with raw data,
/// inputs and outputs with their types and known dimensions, the opset imports and the producer name.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The model as a <c>ModelProto</c>.</summary>
    /// <exception cref="NotSupportedException">a node has a graph-valued attribute (subgraphs are not written).</exception>
    public static ModelProto ToProto(ModelGraph graph, long irVersion = 10)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var g = new GraphProto { Name = graph.Name };
        foreach (Node n in graph.Nodes)
        {
            var node = new NodeProto { Name = n.Name, OpType = n.OpType, Domain = n.Domain };
            node.Input.AddRange(n.Inputs);
            node.Output.AddRange(n.Outputs);
            foreach (var (name, value) in n.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                node.Attribute.Add(Attribute(name, value, n));
            }

            g.Node.Add(node);
        }

        foreach (var (name, value) in graph.Initializers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            g.Initializer.Add(TensorProtos.ToProto(name, value));
        }

        g.Input.AddRange(graph.Inputs.Select(ValueInfo));
        g.Output.AddRange(graph.Outputs.Select(ValueInfo));
        var model = new ModelProto { IrVersion = irVersion, ProducerName = graph.ProducerName, Graph = g };
        foreach (var (domain, version) in graph.Opsets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        return model;
    }

    /// <summary>The serialized model.</summary>
    public static byte[] ToBytes(ModelGraph graph, long irVersion = 10) => ToProto(graph, irVersion).ToByteArray();

    private static AttributeProto Attribute(string name, AttributeValue v, Node n)
    {
        var a = new AttributeProto { Name = name };
        switch (v.Kind)
        {
            case AttributeKind.Float:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = v.Float;
                break;
            case AttributeKind.Int:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = v.Int;
                break;
            case AttributeKind.String:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFromUtf8(v.String ?? string.Empty);
                break;
            case AttributeKind.Tensor:
                a.Type = AttributeProto.Types.AttributeType.Tensor;
                a.T = TensorProtos.ToProto(string.Empty, v.Tensor!);
                break;
            case AttributeKind.Floats:
                a.Type = AttributeProto.Types.AttributeType.Floats;
                a.Floats.AddRange(v.Floats);
                break;
            case AttributeKind.Ints:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(v.Ints);
                break;
            case AttributeKind.Strings:
                a.Type = AttributeProto.Types.AttributeType.Strings;
                a.Strings.AddRange(v.Strings.Select(ByteString.CopyFromUtf8));
                break;
            case AttributeKind.Tensors:
                a.Type = AttributeProto.Types.AttributeType.Tensors;
                a.Tensors.AddRange(v.Tensors.Select(t => TensorProtos.ToProto(string.Empty, t)));
                break;
            default:
                throw new NotSupportedException($"node {n.Describe()}: attribute '{name}' of kind {v.Kind} cannot be written");
        }

        return a;
    }

    private static ValueInfoProto ValueInfo(ValueInfo v)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)v.Type };
        if (!v.Dims.IsDefault)
        {
            var shape = new TensorShapeProto();
            foreach (int? d in v.Dims)
            {
                shape.Dim.Add(d is int value ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension());
            }

            tensor.Shape = shape;
        }

        return new ValueInfoProto { Name = v.Name, Type = new TypeProto { TensorType = tensor } };
    }
}
