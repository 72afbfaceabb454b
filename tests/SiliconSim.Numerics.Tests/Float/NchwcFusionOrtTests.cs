using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.TestSupport;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>
/// ORT_ENABLE_ALL fuses an Add of two NCHWc conv outputs into the first conv (nchwc_transformer.cc TransformBinary):
/// the other conv's output pre-fills the fused conv's output, so it joins the first channel slice before the bias.
/// </summary>
public sealed class NchwcFusionOrtTests
{
    [Theory]
    [InlineData(16, 32, true)]
    [InlineData(32, 16, false)]
    public void ConvAddFusion_MatchesOrtBitExactly(int c, int m, bool withBias)
    {
        var rng = new Random(c + m);
        int[] xShape = [1, c, 6, 6];
        float[] x = RandomFloats(rng, (int)ShapeMath.ElementCount(xShape));
        float[] w1 = RandomFloats(rng, m * c * 9);
        float[] w2 = RandomFloats(rng, m * c);
        float[] b1 = withBias ? RandomFloats(rng, m) : [];
        float[] b2 = withBias ? RandomFloats(rng, m) : [];
        var b = new OnnxBuilder(opset: 17);
        b.Input("x", DataType.Float, 1, c, 6, 6);
        b.Initializer("w1", TensorValue.FromFloats([m, c, 3, 3], w1)).Initializer("w2", TensorValue.FromFloats([m, c, 1, 1], w2));
        if (withBias)
        {
            b.Initializer("b1", TensorValue.FromFloats([m], b1)).Initializer("b2", TensorValue.FromFloats([m], b2));
        }

        b.Node("Conv", withBias ? ["x", "w1", "b1"] : ["x", "w1"], ["a"], attributes: [("pads", new long[] { 1, 1, 1, 1 })]);
        b.Node("Conv", withBias ? ["x", "w2", "b2"] : ["x", "w2"], ["c"]);
        b.Node("Add", ["a", "c"], ["y"]);
        b.Output("y", DataType.Float);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats(xShape, x)));

        var g1 = ConvGeometry.Resolve(xShape, m, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", 1);
        var g2 = ConvGeometry.Resolve(xShape, m, [1, 1], null, null, null, "NOTSET", 1);
        float[] second = NchwcConv.Conv(x, w2, b2, g2);
        float[] fused = NchwcConv.Conv(x, w1, b1, g1, second);
        Assert.Equal(0, BitMismatches(expected.Items<float>(), fused));
    }
}
