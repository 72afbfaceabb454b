using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>
/// Runs one ONNX backend node-test folder (model.onnx + test_data_set_0) through the op registry: the single node is
/// converted to an <see cref="Node"/> here (the test owns its tiny importer), its inputs read from input_K.pb.
/// </summary>
internal static class NodeCase
{
    public static string Root => SharedData.OnnxNode;

    public static IEnumerable<string> Cases(params string[] prefixes) =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Select(Path.GetFileName).Where(n => prefixes.Any(p => n!.StartsWith(p, StringComparison.Ordinal)))
                .Where(n => !n!.Contains("_expanded", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!
            : [];

    /// <summary>Runs the case; returns (expected, actual) per output.</summary>
    public static List<(TensorValue Expected, TensorValue Actual)> Run(string name)
    {
        string dir = Path.Combine(Root, name);
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        if (model.Graph.Node.Count != 1)
        {
            throw new InvalidOperationException($"{name} has {model.Graph.Node.Count} nodes");
        }

        NodeProto np = model.Graph.Node[0];
        int opset = (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;
        var node = new Node(np.Name, np.OpType, np.Domain, [.. np.Input], [.. np.Output],
            np.Attribute.ToImmutableDictionary(a => a.Name, Convert, StringComparer.Ordinal));
        string data = Path.Combine(dir, "test_data_set_0");
        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        for (int i = 0; i < model.Graph.Input.Count; i++)
        {
            values[model.Graph.Input[i].Name] = Read(Path.Combine(data, $"input_{i}.pb"));
        }

        foreach (TensorProto init in model.Graph.Initializer)
        {
            values[init.Name] = TensorProtos.FromProto(init);
        }

        var inputs = np.Input.Select(n => n.Length == 0 ? null : values[n]).ToList();
        var op = OpRegistry.Find(np.Domain, np.OpType) ?? throw new InvalidOperationException($"no handler for {np.OpType}");
        TensorValue[] outputs = op(new OpContext(node, opset, inputs));
        var result = new List<(TensorValue, TensorValue)>();
        for (int i = 0; i < model.Graph.Output.Count; i++)
        {
            result.Add((Read(Path.Combine(data, $"output_{i}.pb")), outputs[i]));
        }

        return result;
    }

    /// <summary>Integer and bool outputs bit for bit; float within the ONNX backend tests' rtol 1e-3 / atol 1e-7.</summary>
    public static string? Compare(TensorValue expected, TensorValue actual)
    {
        if (expected.Type != actual.Type)
        {
            return $"type {actual.Type} != {expected.Type}";
        }

        if (!expected.Shape.SequenceEqual(actual.Shape))
        {
            return $"shape {actual.ShapeText} != {expected.ShapeText}";
        }

        for (int i = 0; i < expected.Length; i++)
        {
            object e = expected.Data.GetValue(i)!;
            object a = actual.Data.GetValue(i)!;
            if (e is float or double or Half)
            {
                double ev = System.Convert.ToDouble(e is Half he ? (float)he : e, System.Globalization.CultureInfo.InvariantCulture);
                double av = System.Convert.ToDouble(a is Half ha ? (float)ha : a, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(ev) && double.IsNaN(av))
                {
                    continue;
                }

                if (Math.Abs(ev - av) > 1e-7 + (1e-3 * Math.Abs(ev)))
                {
                    return $"element {i}: {av} != {ev}";
                }
            }
            else if (!e.Equals(a))
            {
                return $"element {i}: {a} != {e}";
            }
        }

        return null;
    }

    private static TensorValue Read(string path) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)));

    private static AttributeValue Convert(AttributeProto a) => a.Type switch
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
