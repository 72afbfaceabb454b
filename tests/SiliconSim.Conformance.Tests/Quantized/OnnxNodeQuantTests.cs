using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>The ONNX backend node tests for the integer conv/matmul ops, run through our handlers, bit for bit.</summary>
public sealed class OnnxNodeQuantTests
{
    private static readonly string s_root = SharedData.OnnxNode;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(s_root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
        {
            if (dir!.StartsWith("test_qlinearconv", StringComparison.Ordinal) || dir.StartsWith("test_qlinearmatmul", StringComparison.Ordinal)
                || dir.StartsWith("test_convinteger", StringComparison.Ordinal) || dir.StartsWith("test_matmulinteger", StringComparison.Ordinal))
            {
                data.Add(dir);
            }
        }

        return data;
    }

    [Fact]
    public void DataFolder_HoldsTheQuantizedCases() => Assert.True(Cases().Count >= 12, $"found {Cases().Count} cases under {s_root}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void NodeCase_MatchesExpectedOutputBitExactly(string name)
    {
        string dir = Path.Combine(s_root, name);
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        NodeProto np = Assert.Single(model.Graph.Node);
        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (TensorProto init in model.Graph.Initializer)
        {
            values[init.Name] = TensorProtos.FromProto(init);
        }

        var graphInputs = model.Graph.Input.Where(i => !values.ContainsKey(i.Name)).ToList();
        for (int i = 0; i < graphInputs.Count; i++)
        {
            values[graphInputs[i].Name] = Load(Path.Combine(dir, "test_data_set_0", $"input_{i}.pb"));
        }

        TensorValue expected = Load(Path.Combine(dir, "test_data_set_0", "output_0.pb"));
        var node = new Node(np.Name, np.OpType, np.Domain, [.. np.Input], [.. np.Output], Attributes(np));
        int opset = (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;
        var op = OpRegistry.Find(np.Domain, np.OpType) ?? throw new InvalidOperationException($"no handler for {np.OpType}");
        TensorValue actual = op(new OpContext(node, opset, [.. np.Input.Select(n => n.Length == 0 ? null : values[n])]))[0];
        Assert.Equal(0, SingleNode.Mismatches(expected, actual));
    }

    private static TensorValue Load(string path) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)));

    private static ImmutableDictionary<string, AttributeValue> Attributes(NodeProto np)
    {
        var b = ImmutableDictionary.CreateBuilder<string, AttributeValue>(StringComparer.Ordinal);
        foreach (AttributeProto a in np.Attribute)
        {
            b[a.Name] = a.Type switch
            {
                AttributeProto.Types.AttributeType.Int => new AttributeValue(AttributeKind.Int) { Int = a.I },
                AttributeProto.Types.AttributeType.Float => new AttributeValue(AttributeKind.Float) { Float = a.F },
                AttributeProto.Types.AttributeType.String => new AttributeValue(AttributeKind.String) { String = a.S.ToStringUtf8() },
                AttributeProto.Types.AttributeType.Ints => new AttributeValue(AttributeKind.Ints) { Ints = [.. a.Ints] },
                _ => throw new NotSupportedException($"attribute {a.Name} of type {a.Type}"),
            };
        }

        return b.ToImmutable();
    }
}
