using SiliconSim.Numerics.Tests.Activation;

using SiliconSim.Numerics.Kernels.Normalization;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Normalization;

/// <summary>
/// LayerNormalization against ONNX Runtime on generated shapes, axes, epsilons, with and without bias, all three outputs
/// (Y, Mean, InvStdDev); row lengths on both sides of MLAS's 8-element dispatch threshold and its 8-lane blocks; rows
/// with a large common offset stress the variance.
/// </summary>
public sealed class LayerNormOrtTests(ITestOutputHelper output)
{
    [Fact]
    public void LayerNorm_MatchesOrtBitExactly()
    {
        int[] totals = new int[3];
        int[] mismatches = new int[3];
        long maxUlp = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var rng = new Random(seed + 4242);
            int rank = rng.Next(1, 5);
            int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 7)).ToArray();
            shape[rank - 1] = new[] { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 64, 100 }[seed % 13];
            int axis = rng.Next(-rank, rank);
            int a = axis < 0 ? axis + rank : axis;
            int[] normShape = shape[a..];
            bool withBias = seed % 2 == 0;
            float epsilon = seed % 3 == 0 ? 1e-5f : seed % 3 == 1 ? 1e-12f : 0.1f;
            float offset = seed % 4 == 0 ? 50f : 0f;
            int count = shape.Aggregate(1, (p, q) => p * q);
            int normCount = normShape.Aggregate(1, (p, q) => p * q);
            var x = TensorValue.FromFloats(shape, Enumerable.Range(0, count).Select(_ => offset + (float)(((rng.NextDouble() * 2) - 1) * 3)).ToArray());
            var scale = TensorValue.FromFloats(normShape, Enumerable.Range(0, normCount).Select(_ => (float)((rng.NextDouble() * 2) - 0.5)).ToArray());
            var bias = TensorValue.FromFloats(normShape, Enumerable.Range(0, normCount).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray());
            var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, shape.Select(d => (int?)d).ToArray())
                .Initializer("scale", scale);
            if (withBias)
            {
                b.Initializer("bias", bias);
            }

            b.Node("LayerNormalization", withBias ? ["x", "scale", "bias"] : ["x", "scale"], ["y", "mean", "inv"],
                    attributes: [("axis", (long)axis), ("epsilon", epsilon)])
                .Output("y", DataType.Float).Output("mean", DataType.Float).Output("inv", DataType.Float);
            var expected = OrtOracle.Run(b.ToBytes(), [("x", x)]);
            LayerNormResult actual = LayerNormKernel.Compute(x, scale, withBias ? bias : null, axis, epsilon);
            TensorValue[] ours = [actual.Y, actual.Mean, actual.InvStdDev];
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k].Value.Shape.ToArray(), ours[k].Shape.ToArray());
                UlpStats s = UlpStats.Compare(expected[k].Value.Items<float>(), ours[k].Items<float>());
                totals[k] += s.Count;
                if (s.Mismatches > 0)
                {
                    output.WriteLine($"seed {seed} shape [{string.Join(',', shape)}] axis {axis} bias {withBias} eps {epsilon} out {k}: {s} first {s.FirstIndex} (norm {normCount})");
                }

                mismatches[k] += s.Mismatches;
                maxUlp = Math.Max(maxUlp, s.MaxUlp);
            }
        }

        output.WriteLine($"LayerNorm Y {mismatches[0]}/{totals[0]}, Mean {mismatches[1]}/{totals[1]}, InvStdDev {mismatches[2]}/{totals[2]} mismatches, max {maxUlp} ulp");
        Assert.Equal(0, mismatches.Sum());
    }
}
