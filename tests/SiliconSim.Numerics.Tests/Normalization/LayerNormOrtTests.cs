using SiliconSim.Numerics.Kernels.Normalization;
using SiliconSim.Numerics.Tests.Activation;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Normalization;

/// <summary>
/// LayerNormalization against ONNX Runtime 1.31 on generated shapes, axes, epsilons, with and without bias, all three
/// outputs (Y, Mean, InvStdDev); row lengths on both sides of MLAS's 8-element dispatch threshold, its 8-lane blocks and
/// every tail length, rows centred at 0 and rows with a large common offset (x ≈ 50 ± 3). Every bit must match.
/// </summary>
public sealed class LayerNormOrtTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LayerNorm_MatchesOrtBitExactly(bool offsetRows)
    {
        int rowsTotal = 0;
        int meanMismatches = 0;
        int invMismatches = 0;
        long invMaxUlp = 0;
        int yElements = 0;
        int yMismatches = 0;
        for (int seed = 0; seed < 68; seed++)
        {
            var rng = new Random(seed + (offsetRows ? 9000 : 4242));
            int rank = rng.Next(1, 5);
            int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 7)).ToArray();
            shape[0] = rng.Next(4, 12);
            shape[rank - 1] = new[] { 1, 2, 3, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 20, 31, 64, 100 }[seed % 17];
            int axis = rng.Next(-rank, rank);
            int a = axis < 0 ? axis + rank : axis;
            int[] normShape = shape[a..];
            bool withBias = seed % 2 == 0;
            float epsilon = seed % 3 == 0 ? 1e-5f : seed % 3 == 1 ? 1e-12f : 0.1f;
            float offset = offsetRows ? 50f : 0f;
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

            // An empty-name bias input crashes ORT 1.31's LayerNormalization when Mean/InvStdDev are requested: omit it.
            b.Node("LayerNormalization", withBias ? ["x", "scale", "bias"] : ["x", "scale"], ["y", "mean", "inv"],
                    attributes: [("axis", (long)axis), ("epsilon", epsilon)])
                .Output("y", DataType.Float).Output("mean", DataType.Float).Output("inv", DataType.Float);
            var expected = OrtOracle.Run(b.ToBytes(), [("x", x)]);
            LayerNormResult actual = LayerNormKernel.Compute(x, scale, withBias ? bias : null, axis, epsilon);
            Assert.Equal(expected[0].Value.Shape.ToArray(), actual.Y.Shape.ToArray());
            Assert.Equal(expected[1].Value.Shape.ToArray(), actual.Mean.Shape.ToArray());
            Assert.Equal(expected[2].Value.Shape.ToArray(), actual.InvStdDev.Shape.ToArray());
            float[] eMean = expected[1].Value.Items<float>();
            float[] eInv = expected[2].Value.Items<float>();
            float[] eY = expected[0].Value.Items<float>();
            float[] aY = actual.Y.Items<float>();
            for (int r = 0; r < eMean.Length; r++)
            {
                rowsTotal++;
                meanMismatches += UlpStats.Compare([eMean[r]], [actual.Mean.Items<float>()[r]]).Mismatches;
                UlpStats inv = UlpStats.Compare([eInv[r]], [actual.InvStdDev.Items<float>()[r]]);
                invMismatches += inv.Mismatches;
                invMaxUlp = Math.Max(invMaxUlp, inv.MaxUlp);
                UlpStats y = UlpStats.Compare(eY.AsSpan(r * normCount, normCount), aY.AsSpan(r * normCount, normCount));
                yElements += y.Count;
                yMismatches += y.Mismatches;
            }
        }

        output.WriteLine($"LayerNorm offset={offsetRows}: rows {rowsTotal}, Mean {meanMismatches} mismatches, InvStdDev {invMismatches} mismatches (max {invMaxUlp} ulp), Y {yMismatches}/{yElements} mismatches");
        Assert.Equal(0, meanMismatches);
        Assert.Equal(0, invMismatches);
        Assert.Equal(0, yMismatches);
    }
}
