using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.TestSupport;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>1-D and 3-D float Conv (MLAS promotes 1-D to 2-D and uses vol2col for 3-D) and MaxPool against ORT.</summary>
public sealed class ConvRankAndMaxPoolOrtTests
{
    /// <summary>(input spatial, kernel spatial, C, M, group, stride, pad, dilation).</summary>
    public static TheoryData<int[], int[], int[]> RankCases() => new()
    {
        { new[] { 20 }, new[] { 3 }, new[] { 4, 6, 1, 1, 1, 1 } },
        { new[] { 31 }, new[] { 5 }, new[] { 40, 8, 1, 2, 2, 2 } },
        { new[] { 9 }, new[] { 9 }, new[] { 1, 3, 1, 1, 0, 1 } },
        { new[] { 5, 6, 7 }, new[] { 3, 3, 3 }, new[] { 4, 5, 1, 1, 1, 1 } },
        { new[] { 4, 5, 6 }, new[] { 2, 3, 2 }, new[] { 12, 6, 3, 2, 1, 1 } },
        { new[] { 3, 4, 4 }, new[] { 3, 3, 3 }, new[] { 16, 20, 1, 1, 0, 1 } },
    };

    [Theory]
    [MemberData(nameof(RankCases))]
    public void Conv_OtherRanks_MatchOrtBitExactly(int[] spatial, int[] kernel, int[] p)
    {
        (int c, int m, int group, int stride, int pad, int dil) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        int rank = spatial.Length;
        var rng = new Random(c * m * rank);
        int[] xShape = [2, c, .. spatial];
        int[] wShape = [m, c / group, .. kernel];
        float[] x = RandomFloats(rng, (int)ShapeMath.ElementCount(xShape));
        float[] w = RandomFloats(rng, (int)ShapeMath.ElementCount(wShape));
        float[] bias = RandomFloats(rng, m);
        long[] strides = [.. Enumerable.Repeat((long)stride, rank)];
        long[] dils = [.. Enumerable.Repeat((long)dil, rank)];
        long[] pads = [.. Enumerable.Repeat((long)pad, 2 * rank)];
        var b = new OnnxBuilder(opset: 17);
        b.Input("x", DataType.Float, xShape.Select(d => (int?)d).ToArray()).Input("w", DataType.Float, wShape.Select(d => (int?)d).ToArray());
        b.Initializer("b", TensorValue.FromFloats([m], bias));
        b.Node("Conv", ["x", "w", "b"], ["y"], attributes: [("group", (long)group), ("strides", strides), ("dilations", dils), ("pads", pads)]);
        b.Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats(xShape, x)), ("w", TensorValue.FromFloats(wShape, w)));
        var g = ConvGeometry.Resolve(xShape, m, kernel, strides, dils, pads, "NOTSET", group);
        Assert.Equal(expected.Shape.ToArray(), g.OutputShape);
        Assert.Equal(0, BitMismatches(expected.Items<float>(), FloatConv.Conv(x, w, bias, g)));
    }

    [Theory]
    [InlineData(DataType.Float, 0)]
    [InlineData(DataType.Float, 1)]
    [InlineData(DataType.UInt8, 0)]
    [InlineData(DataType.Int8, 0)]
    public void MaxPool_MatchesOrtIncludingIndices(DataType type, int ceil)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var rng = new Random(seed + (10 * (int)type));
            int h = rng.Next(4, 11), w = rng.Next(4, 11), k = rng.Next(2, 4), s = rng.Next(1, 3), pad = rng.Next(0, k);
            int dil = rng.Next(1, 3);
            int[] shape = [1, 3, h, w];
            int n = 3 * h * w;
            TensorValue x = type switch
            {
                DataType.Float => TensorValue.FromFloats(shape, RandomFloats(rng, n)),
                DataType.UInt8 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (byte)rng.Next(0, 8)).ToArray()),
                _ => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-4, 4)).ToArray()),
            };
            bool indices = type == DataType.Float;
            var b = new OnnxBuilder(opset: 12);
            b.Input("x", type, 1, 3, h, w);
            b.Node("MaxPool", ["x"], indices ? ["y", "i"] : ["y"], attributes: [("kernel_shape", new long[] { k, k }), ("strides", new long[] { s, s }),
                ("pads", new long[] { pad, pad, pad, pad }), ("dilations", new long[] { dil, dil }), ("ceil_mode", (long)ceil)]);
            b.Output("y", type);
            if (indices)
            {
                b.Output("i", DataType.Int64);
            }

            var ort = OrtOracle.Run(b.ToBytes(), [("x", x)]);
            var g = ConvGeometry.Resolve(shape, 3, [k, k], [s, s], [dil, dil], [pad, pad, pad, pad], "NOTSET", 1, ceil != 0);
            Assert.Equal(ort[0].Value.Shape.ToArray(), g.OutputShape);
            Array y = type switch
            {
                DataType.Float => PoolKernels.MaxPool<float>(x.Items<float>(), g, float.MinValue, out long[]? idx, indices),
                DataType.UInt8 => PoolKernels.MaxPool<byte>(x.Items<byte>(), g, byte.MinValue, out _),
                _ => PoolKernels.MaxPool<sbyte>(x.Items<sbyte>(), g, sbyte.MinValue, out _),
            };
            Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(ort[0].Value), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(TensorValue.Create(type, g.OutputShape, y)));
            if (indices)
            {
                PoolKernels.MaxPool<float>(x.Items<float>(), g, float.MinValue, out long[]? idx2, true);
                Assert.Equal(ort[1].Value.Items<long>(), idx2);
            }
        }
    }
}
