using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>
/// The fp32 activations against ONNX Runtime (CPU, this machine) on several thousand seeded inputs each, including
/// every branch point of the MLAS kernels: the bits must be equal.
/// </summary>
public sealed class ActivationOrtTests(ITestOutputHelper output)
{
    public static TheoryData<string, float> Ops() => new()
    {
        { "Sigmoid", 30f },
        { "Tanh", 15f },
        { "Exp", 110f },
        { "Erf", 6f },
        { "Sqrt", 1000f },
        { "LeakyRelu", 100f },
        { "GeluNone", 10f },
        { "GeluTanh", 10f },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Activation_MatchesOrtBitExactly(string op, float range)
    {
        float[] x = ActivationInputs.Generate(op.Length * 7919, 6000, range);
        UlpStats stats = Measure(op, x);
        output.WriteLine($"{op}: {stats}");
        foreach (string line in Diagnostics)
        {
            output.WriteLine(line);
        }
        Assert.True(stats.Mismatches == 0, $"{op}: {stats}, first at x = {(stats.FirstIndex >= 0 ? x[stats.FirstIndex] : 0):R}");
    }

    /// <summary>Lengths that leave every vector kernel a remainder (8- and 16-lane kernels, 4x unrolled loops).</summary>
    [Theory]
    [MemberData(nameof(Ops))]
    public void Activation_RaggedLengths_MatchOrtBitExactly(string op, float range)
    {
        int total = 0;
        int mismatches = 0;
        foreach (int n in new[] { 1, 3, 7, 9, 15, 17, 31, 33, 47, 50, 63 })
        {
            float[] x = ActivationInputs.Generate(n * 131, 0, range).Concat(ActivationInputs.Generate(n, 200, range).Skip(96)).Take(n).ToArray();
            UlpStats stats = Measure(op, x);
            total += stats.Count;
            mismatches += stats.Mismatches;
        }

        output.WriteLine($"{op} ragged: {mismatches}/{total} mismatches");
        foreach (string line in Diagnostics)
        {
            output.WriteLine(line);
        }

        Assert.Equal(0, mismatches);
    }

    private static readonly List<string> Diagnostics = [];

    internal static UlpStats Measure(string op, float[] x)
    {
        var input = TensorValue.FromFloats([x.Length], x);
        (string onnxOp, int opset, (string, object)[] attrs, Func<TensorValue, TensorValue> ours) = op switch
        {
            "GeluNone" => ("Gelu", 20, new (string, object)[] { ("approximate", "none") }, (Func<TensorValue, TensorValue>)(t => ActivationKernels.Gelu(t, "none"))),
            "GeluTanh" => ("Gelu", 20, [("approximate", "tanh")], t => ActivationKernels.Gelu(t, "tanh")),
            "LeakyRelu" => ("LeakyRelu", 16, [("alpha", 0.1f)], t => ActivationKernels.LeakyRelu(t, 0.1f)),
            "Sigmoid" => ("Sigmoid", 13, [], ActivationKernels.Sigmoid),
            "Tanh" => ("Tanh", 13, [], ActivationKernels.Tanh),
            "Exp" => ("Exp", 13, [], ActivationKernels.Exp),
            "Erf" => ("Erf", 13, [], ActivationKernels.Erf),
            "Sqrt" => ("Sqrt", 13, [], ActivationKernels.Sqrt),
            _ => throw new ArgumentException(op),
        };
        float[] feed = op == "Sqrt" ? x.Select(MathF.Abs).ToArray() : x;
        var t = TensorValue.FromFloats([feed.Length], feed);
        var b = new OnnxBuilder(opset: opset).Input("x", DataType.Float, feed.Length).Node(onnxOp, ["x"], ["y"], attributes: attrs).Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", t));
        TensorValue actual = ours(t);
        _ = input;
        float[] e = expected.Items<float>();
        float[] a = actual.Items<float>();
        int shown = 0;
        for (int i = 0; i < e.Length && shown < 12; i++)
        {
            if (BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]))
            {
                Diagnostics.Add($"{op} x={feed[i]:R} ort={e[i]:R} ours={a[i]:R}");
                shown++;
            }
        }

        return UlpStats.Compare(e, a);
    }
}
