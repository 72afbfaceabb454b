using FsCheck.Xunit;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// Law: SimplifiedLayerNormalization and com.microsoft SkipSimplifiedLayerNormalization (RMSNorm) give ONNX Runtime's
/// bits in every output over generated shapes (hidden sizes across MLAS's vector widths and their tails), epsilons,
/// axes, with and without the Skip variant's bias and with a skip that repeats over the batch.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class RmsNormOrtProperties(ITestOutputHelper output) : IDisposable
{
    private long _compared;
    private int _cases;

    [Property(MaxTest = 60)]
    public void SimplifiedLayerNorm_GeneratedShapes_EqualsOrtInYAndInvStdDev(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        int rank = rng.Next(2, 4);
        int[] shape = [.. Enumerable.Range(0, rank).Select(_ => rng.Next(1, 5))];
        shape[^1] = Hidden(rng);
        int axis = rng.Next(2) == 0 ? -1 : rank - 1;
        float epsilon = Epsilon(rng);
        var x = OrtDifferential.Floats(rng, shape, rng.Next(2) == 0 ? 3 : 40);
        var scale = OrtDifferential.Floats(rng, [shape[^1]], 1.5);
        var b = new OnnxBuilder(opset: 21).Input("x", DataType.Float, [.. shape.Select(d => (int?)d)]).Initializer("scale", scale)
            .Node("SimplifiedLayerNormalization", ["x", "scale"], ["y", "inv"], attributes: [("axis", (long)axis), ("epsilon", epsilon)])
            .Output("y", DataType.Float).Output("inv", DataType.Float);
        Check(seed, b, [("x", x)], $"X {x}, axis {axis}, epsilon {epsilon:R}");
    }

    [Property(MaxTest = 60)]
    public void SkipSimplifiedLayerNorm_GeneratedShapes_EqualsOrtInYAndSum(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        int batch = rng.Next(1, 4);
        int seq = rng.Next(1, 6);
        int hidden = Hidden(rng);
        float epsilon = Epsilon(rng);
        var x = OrtDifferential.Floats(rng, [batch, seq, hidden], 4);
        // The skip repeats over the batch in a third of the cases, as ORT allows.
        int[] skipShape = rng.Next(3) == 0 ? [seq, hidden] : [batch, seq, hidden];
        var skip = OrtDifferential.Floats(rng, skipShape, 4);
        var gamma = OrtDifferential.Floats(rng, [hidden], 1.5);
        bool withBias = rng.Next(2) == 0;
        var b = new OnnxBuilder(opset: 21).Input("x", DataType.Float, batch, seq, hidden).Input("skip", DataType.Float, [.. skipShape.Select(d => (int?)d)])
            .Initializer("gamma", gamma);
        if (withBias)
        {
            b.Initializer("bias", OrtDifferential.Floats(rng, [hidden], 0.5));
        }

        b.Node("SkipSimplifiedLayerNormalization", withBias ? ["x", "skip", "gamma", "bias"] : ["x", "skip", "gamma"], ["y", "", "", "sum"], "com.microsoft", attributes: [("epsilon", epsilon)])
            .Output("y", DataType.Float).Output("sum", DataType.Float);
        Check(seed, b, [("x", x), ("skip", skip)], $"X {x}, skip {skip}, bias {withBias}, epsilon {epsilon:R}");
    }

    public void Dispose() => output.WriteLine($"{_cases} cases, {_compared} values compared with ONNX Runtime, 0 mismatches");

    private void Check(CaseSeed seed, OnnxBuilder b, (string, TensorValue)[] feeds, string text)
    {
        int bad = OrtDifferential.Mismatches(b, feeds, out string first, out long compared);
        Assert.True(bad == 0, $"{seed}: {text}: {bad}/{compared} mismatches; {first}");
        _compared += compared;
        _cases++;
    }

    /// <summary>Hidden sizes below, at and past the 8- and 16-lane widths, up to a Llama-like 576.</summary>
    private static int Hidden(Random rng) => rng.Next(4) switch
    {
        0 => rng.Next(1, 17),
        1 => rng.Next(17, 130),
        2 => 16 * rng.Next(1, 37),
        _ => rng.Next(130, 600),
    };

    private static float Epsilon(Random rng) => rng.Next(3) switch { 0 => 1e-5f, 1 => 1e-6f, _ => (float)Math.Pow(10, -1 - (rng.NextDouble() * 6)) };
}
