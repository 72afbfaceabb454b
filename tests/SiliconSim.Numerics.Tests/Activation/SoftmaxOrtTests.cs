using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>
/// Softmax against ONNX Runtime: row lengths on both sides of the AVX512 kernel's 16- and 48-element steps, every
/// axis, opset 11 (flatten) and 13 (single axis), and rows with large spreads so many terms underflow.
/// </summary>
public sealed class SoftmaxOrtTests(ITestOutputHelper output)
{
    public static TheoryData<int> Opsets() => new() { 11, 13 };

    [Theory]
    [MemberData(nameof(Opsets))]
    public void Softmax_MatchesOrtBitExactly(int opset)
    {
        int total = 0;
        int mismatches = 0;
        long maxUlp = 0;
        for (int seed = 0; seed < 28; seed++)
        {
            var rng = new Random((seed * 97) + opset);
            int rank = rng.Next(1, 4);
            int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
            // One long axis so rows cross 16/32/48/64 elements.
            shape[rng.Next(rank)] = new[] { 1, 7, 15, 16, 17, 33, 47, 48, 49, 64, 97, 130, 255, 1000 }[seed % 14];
            int axis = rng.Next(-rank, rank);
            float spread = seed % 3 == 0 ? 60f : seed % 3 == 1 ? 8f : 1f;
            float[] x = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * spread)).ToArray();
            var t = TensorValue.FromFloats(shape, x);
            var b = new OnnxBuilder(opset: opset).Input("x", DataType.Float, shape.Select(d => (int?)d).ToArray())
                .Node("Softmax", ["x"], ["y"], attributes: [("axis", (long)axis)]).Output("y", DataType.Float);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", t));
            TensorValue actual = SoftmaxKernel.Softmax(t, axis, flatten: opset < 13);
            UlpStats s = UlpStats.Compare(expected.Items<float>(), actual.Items<float>());
            total += s.Count;
            mismatches += s.Mismatches;
            maxUlp = Math.Max(maxUlp, s.MaxUlp);
            if (s.Mismatches > 0)
            {
                output.WriteLine($"shape [{string.Join(',', shape)}] axis {axis}: {s}");
            }
        }

        output.WriteLine($"Softmax opset {opset}: {mismatches}/{total} mismatches, max {maxUlp} ulp");
        Assert.Equal(0, mismatches);
    }
}
