using SiliconSim.Numerics.Kernels.ConvTranspose;
using SiliconSim.Numerics.Tests.Activation;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.ConvTranspose;

/// <summary>
/// ConvTranspose against ONNX Runtime on generated 1-D/2-D/3-D geometries (groups, strides, dilations, pads,
/// output_padding, output_shape, auto_pad). Our kernel sums in double and rounds once while ORT runs SGEMM + col2im in
/// fp32, so this checks shapes exactly and values to a tolerance, and reports how many outputs differ in bits.
/// </summary>
public sealed class ConvTransposeOrtTests(ITestOutputHelper output)
{
    [Fact]
    public void ConvTranspose_MatchesOrtWithinFp32Accumulation()
    {
        int total = 0;
        int mismatches = 0;
        long maxUlp = 0;
        double maxAbs = 0;
        int cases = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed + 777);
            int rank = rng.Next(1, 4);
            int group = rng.Next(1, 3);
            int c = group * rng.Next(1, 3);
            int mg = rng.Next(1, 4);
            int[] inSpatial = Enumerable.Range(0, rank).Select(_ => rng.Next(1, rank == 3 ? 4 : 6)).ToArray();
            int[] kernel = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 4)).ToArray();
            long[] strides = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 4)).ToArray();
            long[] dilations = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 3)).ToArray();
            var attrs = new List<(string, object)> { ("strides", strides), ("dilations", dilations), ("group", (long)group) };
            long[]? pads = null;
            long[]? outPad = null;
            long[]? outShape = null;
            string autoPad = "NOTSET";
            switch (seed % 4)
            {
                case 0:
                    pads = Enumerable.Range(0, 2 * rank).Select(_ => (long)rng.Next(0, 2)).ToArray();
                    attrs.Add(("pads", pads));
                    break;
                case 1:
                    outPad = strides.Select(s => (long)rng.Next(0, (int)s)).ToArray();
                    attrs.Add(("output_padding", outPad));
                    break;
                case 2:
                    autoPad = rng.Next(2) == 0 ? "SAME_UPPER" : "SAME_LOWER";
                    attrs.Add(("auto_pad", autoPad));
                    break;
                default:
                    outShape = inSpatial.Select((d, i) => (long)((d - 1) * strides[i]) + ((kernel[i] - 1) * dilations[i]) + 1 - rng.Next(0, 2)).ToArray();
                    attrs.Add(("output_shape", outShape));
                    break;
            }

            int[] xShape = [2, c, .. inSpatial];
            int[] wShape = [c, mg, .. kernel];
            ConvTransposeGeometry g;
            try
            {
                g = ConvTransposeGeometry.Resolve(xShape, wShape, group, strides, dilations, pads, outPad, outShape, autoPad);
            }
            catch (ArgumentException)
            {
                continue;
            }

            float[] x = Enumerable.Range(0, xShape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            float[] w = Enumerable.Range(0, wShape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            float[] bias = Enumerable.Range(0, g.OutChannels).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, xShape.Select(d => (int?)d).ToArray())
                .Initializer("w", TensorValue.FromFloats(wShape, w)).Initializer("b", TensorValue.FromFloats([g.OutChannels], bias))
                .Node("ConvTranspose", ["x", "w", "b"], ["y"], attributes: [.. attrs]).Output("y", DataType.Float);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats(xShape, x)));
            float[] actual = ConvTransposeKernel.Compute(x, w, bias, g);
            Assert.True(expected.Shape.SequenceEqual(g.OutputShape), $"seed {seed}: ORT {expected.ShapeText} vs [{string.Join(',', g.OutputShape)}] in [{string.Join(',', inSpatial)}] k [{string.Join(',', kernel)}] s [{string.Join(',', strides)}] d [{string.Join(',', dilations)}] {string.Join(' ', attrs.Select(a => a.Item1 + "=" + (a.Item2 is long[] l ? string.Join(',', l) : a.Item2)))}");
            UlpStats s = UlpStats.Compare(expected.Items<float>(), actual);
            cases++;
            total += s.Count;
            mismatches += s.Mismatches;
            maxUlp = Math.Max(maxUlp, s.MaxUlp);
            double caseAbs = expected.Items<float>().Zip(actual).Max(p => Math.Abs(p.First - p.Second));
            maxAbs = Math.Max(maxAbs, caseAbs);
            if (caseAbs > 2e-6)
            {
                output.WriteLine($"seed {seed}: |diff| {caseAbs:G3} in [{string.Join(',', inSpatial)}] k [{string.Join(',', kernel)}] s [{string.Join(',', strides)}] d [{string.Join(',', dilations)}] {string.Join(' ', attrs.Select(a => a.Item1 + "=" + (a.Item2 is long[] l ? string.Join(',', l) : a.Item2)))}");
            }
        }

        output.WriteLine($"ConvTranspose: {cases} cases, {mismatches}/{total} outputs differ in bits, max {maxUlp} ulp, max |diff| {maxAbs:G3}");
        Assert.True(cases >= 30, $"only {cases} geometries resolved");
        Assert.True(maxAbs <= 2e-6, $"max |diff| {maxAbs}");
    }
}
