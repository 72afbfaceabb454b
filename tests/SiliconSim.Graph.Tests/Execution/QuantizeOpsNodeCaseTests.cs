using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// Every single-node QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear case of the ONNX backend node tests
/// (shared/data/onnx-node, ONNX 1.23, expected outputs from the ONNX reference implementation) run through the op
/// handlers and compared bit for bit (floats by bits, any NaN equal to any NaN).
/// </summary>
public sealed class QuantizeOpsNodeCaseTests(ITestOutputHelper output)
{
    private static readonly string[] s_ops = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        string? root = NodeRoot();
        if (root is null)
        {
            return data;
        }

        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith("test_quantizelinear", StringComparison.Ordinal) || name.StartsWith("test_dequantizelinear", StringComparison.Ordinal)
                || (name.StartsWith("test_dynamicquantizelinear", StringComparison.Ordinal) && !name.EndsWith("_expanded", StringComparison.Ordinal)))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Fact]
    public void NodeCases_ArePresent() => Assert.True(Cases().Count >= 30, $"expected the Q/DQ node cases under shared/data/onnx-node, found {Cases().Count}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void NodeCase_MatchesExpectedBitExactly(string name)
    {
        string dir = Path.Combine(NodeRoot()!, name);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        Assert.Single(model.Graph.Node);
        NodeProto np = model.Graph.Node[0];
        Assert.Contains(np.OpType, s_ops);
        int opset = (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;

        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (TensorProto init in model.Graph.Initializer)
        {
            values[init.Name] = TensorProtos.FromProto(init);
        }

        string data = Path.Combine(dir, "test_data_set_0");
        var runtimeInputs = model.Graph.Input.Where(i => !values.ContainsKey(i.Name)).ToList();
        for (int k = 0; k < runtimeInputs.Count; k++)
        {
            values[runtimeInputs[k].Name] = Load(Path.Combine(data, $"input_{k}.pb"));
        }

        var attrs = ImmutableDictionary.CreateBuilder<string, AttributeValue>(StringComparer.Ordinal);
        foreach (AttributeProto a in np.Attribute)
        {
            attrs[a.Name] = a.Type switch
            {
                AttributeProto.Types.AttributeType.Int => new AttributeValue(AttributeKind.Int) { Int = a.I },
                AttributeProto.Types.AttributeType.Float => new AttributeValue(AttributeKind.Float) { Float = a.F },
                AttributeProto.Types.AttributeType.String => new AttributeValue(AttributeKind.String) { String = a.S.ToStringUtf8() },
                AttributeProto.Types.AttributeType.Ints => new AttributeValue(AttributeKind.Ints) { Ints = [.. a.Ints] },
                _ => throw new NotSupportedException($"attribute {a.Name} of type {a.Type}"),
            };
        }

        var node = new Node(np.Name, np.OpType, np.Domain, [.. np.Input], [.. np.Output], attrs.ToImmutable());
        var inputs = np.Input.Select(n => n.Length == 0 ? null : values[n]).ToList();
        var op = OpRegistry.Find(np.Domain, np.OpType) ?? throw new InvalidOperationException($"no handler for {np.OpType}");
        TensorValue[] results = op(new OpContext(node, opset, inputs));

        for (int k = 0; k < np.Output.Count; k++)
        {
            TensorValue expected = Load(Path.Combine(data, $"output_{k}.pb"));
            TensorValue actual = results[k];
            Assert.Equal(expected.Type, actual.Type);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            string[] e = Render(expected);
            string[] g = Render(actual);
            var diffs = Enumerable.Range(0, e.Length).Where(i => e[i] != g[i]).Select(i => $"[{i}] expected {e[i]} got {g[i]}").ToList();
            output.WriteLine($"{name} output {k}: {e.Length} elements, {diffs.Count} differ");
            Assert.True(diffs.Count == 0, $"{name} output {k} ({DataTypeInfo.Name(expected.Type)}): {diffs.Count} differ\n{string.Join('\n', diffs.Take(20))}");
        }
    }

    private static TensorValue Load(string path) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)));

    // Bit-level rendering: floats by their bits (all NaNs alike), integers and codes by value.
    private static string[] Render(TensorValue t) => t.Data switch
    {
        float[] a => a.Select(v => float.IsNaN(v) ? "NaN" : $"{v:R}/{BitConverter.SingleToUInt32Bits(v):X8}").ToArray(),
        Half[] a => a.Select(v => Half.IsNaN(v) ? "NaN" : $"{v}/{BitConverter.HalfToUInt16Bits(v):X4}").ToArray(),
        Numerics.Formats.BFloat16[] a => a.Select(v => float.IsNaN(v.ToSingle()) ? "NaN" : $"{v.Bits:X4}").ToArray(),
        _ when t.Type is DataType.Int8 or DataType.Int4 or DataType.Int2 => t.Items<sbyte>().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ when t.Type is DataType.Int16 => t.Items<short>().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ when t.Type is DataType.UInt16 => t.Items<ushort>().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ when t.Type is DataType.Int32 => t.Items<int>().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ => t.Items<byte>().Select(v => Numerics.Formats.MiniFloats.IsMiniFloat(t.Type) && Numerics.Formats.MiniFloats.IsNaN(t.Type, v)
            ? "NaN" : v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
    };

    private static string? NodeRoot() => SharedData.OnnxNode;
}
