using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>
/// Runs one node both through our op handler (via <see cref="OpRegistry"/>) and through ONNX Runtime, built from the
/// same inputs. Inputs listed in <c>graphInputs</c> are fed at run time; the others become initializers (constants),
/// as in quantized models.
/// </summary>
internal static class SingleNode
{
    public static TensorValue Ours(string opType, string domain, TensorValue?[] inputs, (string Name, object Value)[] attributes, int opset = 21)
    {
        var node = new Node("n", opType, domain, [.. inputs.Select((t, i) => t is null ? string.Empty : $"in{i}")], ["out"], Attributes(attributes));
        var op = OpRegistry.Find(domain, opType) ?? throw new InvalidOperationException($"no handler for {domain}.{opType}");
        return op(new OpContext(node, opset, inputs))[0];
    }

    public static TensorValue Ort(string opType, string domain, TensorValue?[] inputs, (string Name, object Value)[] attributes, DataType outputType, int[]? graphInputs = null, int opset = 21)
    {
        graphInputs ??= [0];
        var b = new OnnxBuilder(opset: opset);
        var feeds = new List<(string, TensorValue)>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } t)
            {
                continue;
            }

            if (graphInputs.Contains(i))
            {
                b.Input($"in{i}", t.Type, [.. t.Shape.Select(d => (int?)d)]);
                feeds.Add(($"in{i}", t));
            }
            else
            {
                b.Initializer($"in{i}", t);
            }
        }

        string[] names = [.. inputs.Select((t, i) => t is null ? string.Empty : $"in{i}")];
        while (names.Length > 0 && names[^1].Length == 0)
        {
            names = names[..^1];
        }

        b.Node(opType, names, ["out"], domain, "n", attributes).Output("out", outputType);
        return OrtOracle.Run(b.ToBytes(), feeds)[0].Value;
    }

    public static ImmutableDictionary<string, AttributeValue> Attributes((string Name, object Value)[] attributes)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, AttributeValue>(StringComparer.Ordinal);
        foreach ((string name, object value) in attributes)
        {
            builder[name] = value switch
            {
                int i => new AttributeValue(AttributeKind.Int) { Int = i },
                long l => new AttributeValue(AttributeKind.Int) { Int = l },
                float f => new AttributeValue(AttributeKind.Float) { Float = f },
                string s => new AttributeValue(AttributeKind.String) { String = s },
                long[] ls => new AttributeValue(AttributeKind.Ints) { Ints = [.. ls] },
                int[] iss => new AttributeValue(AttributeKind.Ints) { Ints = [.. iss.Select(v => (long)v)] },
                _ => throw new ArgumentException($"unsupported attribute {name}"),
            };
        }

        return builder.ToImmutable();
    }

    /// <summary>A readable dump of a failing case.</summary>
    public static string Describe(TensorValue?[] inputs, (string Name, object Value)[] attributes, TensorValue expected, TensorValue actual)
    {
        var sb = new System.Text.StringBuilder();
        foreach ((string n, object v) in attributes)
        {
            sb.Append(n).Append('=').Append(v is System.Collections.IEnumerable e and not string ? string.Join(',', e.Cast<object>()) : v).Append(' ');
        }

        sb.AppendLine();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is { } t)
            {
                sb.Append("in").Append(i).Append(' ').Append(t).Append(": ").AppendLine(string.Join(',', t.Data.Cast<object>().Take(12)));
            }
        }

        int shown = 0;
        for (int i = 0; i < expected.Length && shown < 8; i++)
        {
            if (!Equals(expected.Data.GetValue(i), actual.Data.GetValue(i)))
            {
                sb.Append("  [").Append(i).Append("] ort=").Append(expected.Data.GetValue(i)).Append(" ours=").Append(actual.Data.GetValue(i)).AppendLine();
                shown++;
            }
        }

        return sb.ToString();
    }

    /// <summary>The number of positions where the two tensors' storage differs (shape and type must match).</summary>
    public static int Mismatches(TensorValue expected, TensorValue actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        int bad = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!Equals(expected.Data.GetValue(i), actual.Data.GetValue(i)))
            {
                bad++;
            }
        }

        return bad;
    }
}
