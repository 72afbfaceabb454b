using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.TestSupport;
using Xunit.Abstractions;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

public sealed class PoolOrtTests
{
    private readonly ITestOutputHelper _out;

    public PoolOrtTests(ITestOutputHelper output) => _out = output;

    /// <summary>(H, W, k, stride, pad, count_include_pad, ceil_mode).</summary>
    public static TheoryData<int[]> Cases() => new()
    {
        { new[] { 8, 8, 2, 2, 0, 0, 0 } },
        { new[] { 9, 9, 3, 1, 1, 0, 0 } },
        { new[] { 9, 9, 3, 1, 1, 1, 0 } },
        { new[] { 10, 11, 3, 2, 1, 0, 1 } },
        { new[] { 10, 11, 3, 2, 1, 1, 1 } },
        { new[] { 12, 17, 4, 3, 2, 0, 1 } },
        { new[] { 12, 17, 4, 3, 0, 1, 1 } },
        { new[] { 12, 17, 2, 2, 0, 1, 1 } },
        { new[] { 7, 40, 5, 3, 2, 0, 0 } },
        { new[] { 13, 13, 13, 1, 0, 0, 0 } },
        { new[] { 6, 6, 6, 1, 0, 1, 0 } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePool_MatchesOrtBitExactly(int[] p)
    {
        (int h, int w, int k, int s, int pad, bool include, bool ceil) = (p[0], p[1], p[2], p[3], p[4], p[5] != 0, p[6] != 0);
        foreach (int opset in new[] { 11, 17, 19, 22 })
        {
            var rng = new Random(h * w);
            float[] x = RandomFloats(rng, 2 * 3 * h * w, 3f);
            var b = new OnnxBuilder(opset: opset);
            b.Input("x", DataType.Float, 2, 3, h, w);
            b.Node("AveragePool", ["x"], ["y"], attributes: [("kernel_shape", new long[] { k, k }), ("strides", new long[] { s, s }),
                ("pads", new long[] { pad, pad, pad, pad }), ("count_include_pad", (long)(include ? 1 : 0)), ("ceil_mode", (long)(ceil ? 1 : 0))]);
            b.Output("y", DataType.Float);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats([2, 3, h, w], x)));
            var g = ConvGeometry.Resolve([2, 3, h, w], 3, [k, k], [s, s], null, [pad, pad, pad, pad], "NOTSET", 1, ceil);
            float[] actual = PoolKernels.AveragePool(x, g, include, useMlas: opset < 19 && !(ceil && include));
            Assert.Equal(expected.Shape.ToArray(), g.OutputShape);
            int bad = BitMismatches(expected.Items<float>(), actual);
            _out.WriteLine($"opset {opset} include {include} ceil {ceil}: mismatches {bad}/{actual.Length}");
            for (int i = 0; i < 36 && bad > 0; i++)
            {
                _out.WriteLine($"  {i / 6},{i % 6}: ort {expected.Items<float>()[i]:R} mine {actual[i]:R}");
            }
            Assert.Equal(0, bad);
        }
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(7, 9)]
    [InlineData(1, 3)]
    [InlineData(16, 16)]
    public void GlobalAveragePool_MatchesOrtBitExactly(int h, int w)
    {
        var rng = new Random(h + (100 * w));
        float[] x = RandomFloats(rng, 2 * 5 * h * w, 3f);
        var b = new OnnxBuilder(opset: 17);
        b.Input("x", DataType.Float, 2, 5, h, w);
        b.Node("GlobalAveragePool", ["x"], ["y"]);
        b.Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats([2, 5, h, w], x)));
        float[] actual = PoolKernels.GlobalAveragePool(x, 10, h * w);
        Assert.Equal(0, BitMismatches(expected.Items<float>(), actual));
    }

    /// <summary>16-channel pools are rewritten to com.microsoft.nchwc pools at ORT_ENABLE_ALL (the oracle's level).</summary>
    [Theory]
    [InlineData(9, 9, 3, 1, 1, 0)]
    [InlineData(9, 9, 3, 2, 1, 1)]
    [InlineData(8, 7, 2, 2, 0, 0)]
    [InlineData(6, 6, 6, 1, 0, 0)]
    public void NchwcAveragePool_MatchesOrtBitExactly(int h, int w, int k, int s, int pad, int include)
    {
        var rng = new Random(h * w * k);
        float[] x = RandomFloats(rng, 16 * h * w, 3f);
        var b = new OnnxBuilder(opset: 17);
        b.Input("x", DataType.Float, 1, 16, h, w);
        b.Node("AveragePool", ["x"], ["y"], attributes: [("kernel_shape", new long[] { k, k }), ("strides", new long[] { s, s }),
            ("pads", new long[] { pad, pad, pad, pad }), ("count_include_pad", (long)include)]);
        b.Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats([1, 16, h, w], x)));
        var g = ConvGeometry.Resolve([1, 16, h, w], 16, [k, k], [s, s], null, [pad, pad, pad, pad], "NOTSET", 1);
        Assert.Equal(0, BitMismatches(expected.Items<float>(), PoolKernels.NchwcAveragePool(x, g, include != 0)));
    }

    [Fact]
    public void NchwcGlobalAveragePool_MatchesOrtBitExactly()
    {
        var rng = new Random(3);
        float[] x = RandomFloats(rng, 2 * 32 * 7 * 5, 3f);
        var b = new OnnxBuilder(opset: 17);
        b.Input("x", DataType.Float, 2, 32, 7, 5);
        b.Node("GlobalAveragePool", ["x"], ["y"]);
        b.Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats([2, 32, 7, 5], x)));
        var g = ConvGeometry.Resolve([2, 32, 7, 5], 32, [7, 5], null, null, null, "NOTSET", 1);
        Assert.Equal(0, BitMismatches(expected.Items<float>(), PoolKernels.NchwcAveragePool(x, g, false)));
    }
}
