using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport;

/// <summary>
/// Builds small ONNX models in memory with the generated protobuf classes, for differential tests against ONNX Runtime.
/// Typical use: <c>new OnnxBuilder(opset: 21).Input("x", DataType.UInt8, 1, 3, 8, 8).Initializer("w", tensor)
/// .Node("QLinearConv", ["x", ...], ["y"]).Output("y", DataType.UInt8).ToBytes()</c>.
/// </summary>
public sealed class OnnxBuilder
{
    private readonly ModelProto _model;
    private readonly GraphProto _graph;

    public OnnxBuilder(int opset = 21, int msOpset = 1)
    {
        _graph = new GraphProto { Name = "test" };
        _model = new ModelProto { IrVersion = 10, ProducerName = "siliconsim-tests", Graph = _graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = msOpset });
    }

    public ModelProto Model => _model;

    /// <summary>Declares a graph input; a null dim is left symbolic.</summary>
    public OnnxBuilder Input(string name, DataType type, params int?[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Declares a graph output with an unknown shape (ORT infers it).</summary>
    public OnnxBuilder Output(string name, DataType type)
    {
        _graph.Output.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } },
        });
        return this;
    }

    /// <summary>Adds a constant initializer.</summary>
    public OnnxBuilder Initializer(string name, TensorValue value)
    {
        _graph.Initializer.Add(TensorProtos.ToProto(name, value));
        return this;
    }

    /// <summary>Adds a node; attributes are given as (name, value) with value a long, float, string, long[], float[] or TensorValue.</summary>
    public OnnxBuilder Node(string opType, string[] inputs, string[] outputs, string domain = "", string? name = null, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = name ?? $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach ((string attrName, object value) in attributes)
        {
            node.Attribute.Add(Attribute(attrName, value));
        }

        _graph.Node.Add(node);
        return this;
    }

    public byte[] ToBytes() => _model.ToByteArray();

    public static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        long[] ls => Ints(name, ls),
        int[] iss => Ints(name, iss.Select(x => (long)x)),
        float[] fs => Floats(name, fs),
        TensorValue t => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = TensorProtos.ToProto(name, t) },
        _ => throw new ArgumentException($"unsupported attribute value {value.GetType()}"),
    };

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, int?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (int? d in dims)
        {
            shape.Dim.Add(d is int v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
