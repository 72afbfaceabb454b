using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>
/// fp32 Pow against ONNX Runtime: a tensor exponent (libm powf versus ORT's Eigen pow) and the scalar exponents ORT
/// special-cases (2 → x·x, 3 → x·x·x) or not (0.5, −1.5).
/// </summary>
public sealed class PowOrtTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(2f)]
    [InlineData(3f)]
    [InlineData(0.5f)]
    [InlineData(-1.5f)]
    public void Pow_MatchesOrtBitExactly(float scalarExponent)
    {
        var rng = new Random(1234);
        const int Count = 4000;
        float[] x = Enumerable.Range(0, Count).Select(_ => (float)(rng.NextDouble() * 8) + 1e-3f).ToArray();
        bool tensorExponent = float.IsNaN(scalarExponent);
        TensorValue e = tensorExponent
            ? TensorValue.FromFloats([Count], Enumerable.Range(0, Count).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * 6)).ToArray())
            : TensorValue.FromFloats([], [scalarExponent]);
        var b = new OnnxBuilder(opset: 15).Input("x", DataType.Float, Count).Initializer("e", e)
            .Node("Pow", ["x", "e"], ["y"]).Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats([Count], x)));
        TensorValue actual = ActivationKernels.Pow(TensorValue.FromFloats([Count], x), e);
        UlpStats s = UlpStats.Compare(expected.Items<float>(), actual.Items<float>());
        output.WriteLine($"Pow exponent {(tensorExponent ? "tensor" : scalarExponent.ToString("R", System.Globalization.CultureInfo.InvariantCulture))}: {s}");
        Assert.True(s.Mismatches == 0, s.ToString());
    }
}
