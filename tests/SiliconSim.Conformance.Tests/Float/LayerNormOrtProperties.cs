using FsCheck.Xunit;
using Microsoft.ML.OnnxRuntime;
using SiliconSim.Conformance.Tests.Quantized;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Float;

/// <summary>
/// Law: fp32 LayerNormalization (opset 17) gives ONNX Runtime's bits in all three outputs (Y, Mean, InvStdDev) over
/// generated shapes, axes and epsilons, with and without bias, and with scale and bias either of X.shape[axis:] or
/// broadcast to X (scalars, lower-rank suffixes, 1s, leading dimensions that vary per row); where ORT refuses a
/// scale/bias layout, SiliconSim refuses it too.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class LayerNormOrtProperties : IDisposable
{
    private readonly ITestOutputHelper _out;
    private long _compared;
    private int _cases;
    private int _broadcastCases;
    private int _refused;

    public LayerNormOrtProperties(ITestOutputHelper output) => _out = output;

    [Property(MaxTest = 100)]
    public void LayerNorm_GeneratedShapesAxesEpsilonsAndScaleLayouts_EqualsOrtInEveryOutput(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        int rank = rng.Next(1, 5);
        int[] shape = [.. Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6))];
        // The last dimension crosses MLAS's 8-element threshold, its 8-lane blocks and every tail length.
        shape[rank - 1] = rng.Next(3) == 0 ? rng.Next(1, 8) : rng.Next(8, 40);
        while (ShapeMath.ElementCount(shape) > 2500)
        {
            shape[rng.Next(rank)] = 1;
        }

        int axis = rng.Next(-rank, rank);
        int a = axis < 0 ? axis + rank : axis;
        int[] normShape = shape[a..];
        float epsilon = rng.Next(4) switch { 0 => 1e-5f, 1 => 1e-12f, 2 => 0.1f, _ => (float)Math.Pow(10, -2 - (rng.NextDouble() * 4)) };
        float offset = rng.Next(3) == 0 ? 50f : 0f;
        var x = Floats(rng, shape, offset, 3);
        int[] scaleShape = Layout(rng, shape, normShape);
        var scale = Floats(rng, scaleShape, 0.5f, 1);
        TensorValue? bias = rng.Next(3) == 0 ? null : Floats(rng, Layout(rng, shape, normShape), 0, 1);
        bool broadcast = !scale.Shape.SequenceEqual(normShape) || (bias is not null && !bias.Shape.SequenceEqual(normShape));

        var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, [.. shape.Select(d => (int?)d)]).Initializer("scale", scale);
        if (bias is not null)
        {
            b.Initializer("bias", bias);
        }

        // An empty-name bias input crashes ORT 1.31's LayerNormalization when Mean/InvStdDev are requested: omit it.
        string[] inputs = bias is null ? ["x", "scale"] : ["x", "scale", "bias"];
        (string, object)[] attrs = [("axis", (long)axis), ("epsilon", epsilon)];
        b.Node("LayerNormalization", inputs, ["y", "mean", "inv"], attributes: attrs)
            .Output("y", DataType.Float).Output("mean", DataType.Float).Output("inv", DataType.Float);
        var node = new Node("n", "LayerNormalization", string.Empty, [.. inputs], ["y", "mean", "inv"], SingleNode.Attributes(attrs));
        TensorValue[] Ours() => OpRegistry.Find(string.Empty, "LayerNormalization")!(new OpContext(node, 17, bias is null ? [x, scale] : [x, scale, bias]));
        IReadOnlyList<(string Name, TensorValue Value)> ort;
        try
        {
            ort = OrtOracle.Run(b.ToBytes(), [("x", x)]);
        }
        catch (OnnxRuntimeException e) when (e.Message.Contains("broadcastable", StringComparison.Ordinal))
        {
            // ORT refuses scale/bias that neither match X.shape[axis:] nor broadcast to X: so must we.
            var refusal = Record.Exception(() => Ours());
            Assert.True(refusal is OpException, $"{seed}: ORT refused ({e.Message}) but SiliconSim {(refusal is null ? "ran" : "threw " + refusal.GetType().Name)}");
            _refused++;
            return;
        }

        var ours = Ours();
        for (int k = 0; k < 3; k++)
        {
            int bad = SingleNode.Mismatches(ort[k].Value, ours[k]);
            Assert.True(bad == 0, $"{seed}: output {k}: {bad}/{ort[k].Value.Length} mismatches; X {x}, axis {axis}, eps {epsilon:R}, scale {scale}, bias {bias?.ToString() ?? "none"}\n{SingleNode.Describe([x, scale, bias], attrs, ort[k].Value, ours[k])}");
            AssertSameBits(ort[k].Value, ours[k]);
            _compared += ort[k].Value.Length;
        }

        _cases++;
        _broadcastCases += broadcast ? 1 : 0;
    }

    public void Dispose() => _out.WriteLine($"{_cases} cases ({_broadcastCases} with scale or bias not shaped X.shape[axis:]; {_refused} more refused by both), {_compared} values compared with ONNX Runtime, 0 mismatches");

    /// <summary>A scale/bias shape: usually X.shape[axis:], else its flat length, else a NumPy broadcast to X.</summary>
    private static int[] Layout(Random rng, int[] xShape, int[] normShape) => rng.Next(6) switch
    {
        0 or 1 or 2 => normShape,
        3 => [(int)ShapeMath.ElementCount(normShape)],
        _ => [.. xShape.Skip(rng.Next(xShape.Length + 1)).Select(d => rng.Next(2) == 0 ? 1 : d)],
    };

    private static TensorValue Floats(Random rng, int[] shape, float offset, float range) =>
        TensorValue.FromFloats(shape, [.. Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => offset + (float)(((rng.NextDouble() * 2) - 1) * range))]);

    // SingleNode.Mismatches compares values (−0 equals +0); bit-exactness also means the sign of zero.
    private static void AssertSameBits(TensorValue expected, TensorValue actual)
    {
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]), -1);
        Assert.True(first < 0, $"element {first}: ours {a[Math.Max(first, 0)]:R}, ORT {e[Math.Max(first, 0)]:R}");
    }
}
