using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>A test-only straight-line interpreter over the registered ops, for small whole models (the digits goldens).</summary>
internal static class MiniRunner
{
    public static Dictionary<string, TensorValue> Run(ModelProto model, IReadOnlyDictionary<string, TensorValue> feeds)
    {
        int opset = (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;
        var values = new Dictionary<string, TensorValue>(feeds, StringComparer.Ordinal);
        foreach (TensorProto init in model.Graph.Initializer)
        {
            values[init.Name] = TensorProtos.FromProto(init);
        }

        foreach (NodeProto np in model.Graph.Node)
        {
            var node = new Node(np.Name, np.OpType, np.Domain, [.. np.Input], [.. np.Output],
                np.Attribute.ToImmutableDictionary(a => a.Name, ConvertAttribute, StringComparer.Ordinal));
            var op = OpRegistry.Find(np.Domain, np.OpType) ?? throw new InvalidOperationException($"no handler for {np.OpType}");
            var inputs = np.Input.Select(n => n.Length == 0 ? null : values[n]).ToList();
            TensorValue[] outputs = op(new OpContext(node, opset, inputs));
            for (int i = 0; i < outputs.Length && i < np.Output.Count; i++)
            {
                if (np.Output[i].Length > 0)
                {
                    values[np.Output[i]] = outputs[i];
                }
            }
        }

        return values;
    }

    private static AttributeValue ConvertAttribute(AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => new AttributeValue(AttributeKind.Int) { Int = a.I },
        AttributeProto.Types.AttributeType.Float => new AttributeValue(AttributeKind.Float) { Float = a.F },
        AttributeProto.Types.AttributeType.String => new AttributeValue(AttributeKind.String) { String = a.S.ToStringUtf8() },
        AttributeProto.Types.AttributeType.Ints => new AttributeValue(AttributeKind.Ints) { Ints = [.. a.Ints] },
        AttributeProto.Types.AttributeType.Floats => new AttributeValue(AttributeKind.Floats) { Floats = [.. a.Floats] },
        AttributeProto.Types.AttributeType.Tensor => new AttributeValue(AttributeKind.Tensor) { Tensor = TensorProtos.FromProto(a.T) },
        _ => throw new NotSupportedException($"attribute kind {a.Type}"),
    };
}
