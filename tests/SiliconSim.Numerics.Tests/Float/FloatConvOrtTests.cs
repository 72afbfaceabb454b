using Microsoft.ML.OnnxRuntime;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.TestSupport;
using Xunit.Abstractions;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

public sealed class FloatConvOrtTests
{
    private readonly ITestOutputHelper _out;

    public FloatConvOrtTests(ITestOutputHelper output) => _out = output;

    /// <summary>(N, C, H, W, M, kh, kw, group, stride, pad, dilation, bias).</summary>
    public static TheoryData<int[]> Cases() => new()
    {
        { new[] { 1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1 } },
        { new[] { 2, 16, 7, 7, 8, 3, 3, 1, 1, 1, 1, 1 } },     // K = 144 > 128
        { new[] { 1, 32, 6, 6, 8, 3, 3, 1, 1, 0, 1, 1 } },     // K = 288 > 256
        { new[] { 1, 40, 12, 12, 16, 3, 3, 1, 1, 1, 1, 0 } }, // K = 360, N = 144
        { new[] { 1, 300, 4, 4, 6, 1, 1, 1, 1, 0, 1, 1 } },    // pointwise, K = 300
        { new[] { 1, 64, 5, 5, 32, 1, 1, 1, 1, 0, 1, 1 } },    // pointwise
        { new[] { 1, 8, 9, 9, 8, 3, 3, 8, 1, 1, 1, 1 } },      // depthwise
        { new[] { 1, 16, 10, 10, 16, 3, 3, 16, 2, 1, 1, 1 } }, // depthwise stride 2
        { new[] { 1, 8, 9, 9, 16, 3, 3, 4, 1, 1, 1, 1 } },     // grouped
        { new[] { 1, 4, 11, 11, 6, 3, 3, 2, 2, 2, 2, 1 } },    // dilation, stride
        { new[] { 1, 64, 3, 3, 100, 3, 3, 1, 1, 0, 1, 1 } },   // filters > N, output 1x1
        { new[] { 1, 20, 3, 3, 30, 3, 3, 1, 1, 1, 1, 1 } },    // filters > N = 9
        { new[] { 1, 1, 8, 8, 5, 3, 8, 1, 1, 0, 1, 1 } },      // kernel spans width
        { new[] { 1, 1, 8, 8, 5, 8, 1, 1, 1, 0, 1, 1 } },      // kernel spans height
        { new[] { 1, 33, 1, 1, 7, 1, 1, 1, 1, 0, 1, 1 } },     // 1x1 on 1x1
        { new[] { 1, 8, 20, 20, 1, 3, 3, 1, 1, 1, 1, 1 } },    // one filter (M = 1)
        { new[] { 2, 3, 9, 9, 16, 3, 3, 1, 1, 1, 1, 1 } },     // NCHWc: NCHW input algorithm
        { new[] { 1, 32, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1 } },    // NCHWc: blocked
        { new[] { 1, 48, 6, 5, 16, 3, 3, 1, 2, 1, 1, 0 } },    // NCHWc: blocked, stride 2
        { new[] { 1, 160, 5, 5, 32, 1, 1, 1, 1, 0, 1, 1 } },   // NCHWc: pointwise, 2 channel batches
        { new[] { 1, 32, 8, 8, 32, 3, 3, 32, 1, 1, 1, 1 } },   // NCHWc: depthwise
        { new[] { 1, 64, 4, 4, 64, 3, 3, 2, 1, 1, 1, 1 } },    // NCHWc: grouped
        { new[] { 1, 33, 3, 3, 7, 3, 3, 1, 1, 1, 1, 1 } },     // 33 channels: ORT keeps the NCHW conv
        { new[] { 1, 20, 3, 3, 30, 3, 3, 1, 1, 0, 1, 1 } },    // 20 channels: NCHWc with a zero-padded block
        { new[] { 1, 129, 2, 2, 8, 1, 1, 1, 1, 0, 1, 1 } },    // 129 channels: ORT keeps the NCHW conv
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv_MatchesOrtBitExactly(int[] p)
    {
        (int n, int c, int h, int w, int m, int kh, int kw) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        (int group, int stride, int pad, int dil, bool hasBias) = (p[7], p[8], p[9], p[10], p[11] != 0);
        foreach (WeightSource source in Enum.GetValues<WeightSource>())
        {
            foreach (GraphOptimizationLevel level in new[] { GraphOptimizationLevel.ORT_ENABLE_EXTENDED, GraphOptimizationLevel.ORT_ENABLE_ALL })
            {
                var rng = new Random(1234 + c + m);
                var b = new OnnxBuilder(opset: 17);
                var feeds = new List<(string, TensorValue)>();
                float[] x = RandomFloats(rng, n * c * h * w);
                b.Input("x", DataType.Float, n, c, h, w);
                feeds.Add(("x", TensorValue.FromFloats([n, c, h, w], x)));
                AddWeight(b, feeds, "w", [m, c / group, kh, kw], source, rng, out float[] wv);
                float[] bias = hasBias ? RandomFloats(rng, m) : [];
                var inputs = new List<string> { "x", "w" };
                if (hasBias)
                {
                    b.Initializer("b", TensorValue.FromFloats([m], bias));
                    inputs.Add("b");
                }

                b.Node("Conv", [.. inputs], ["y"], attributes: [("group", (long)group), ("strides", new long[] { stride, stride }),
                    ("pads", new long[] { pad, pad, pad, pad }), ("dilations", new long[] { dil, dil }), ("kernel_shape", new long[] { kh, kw })]);
                b.Output("y", DataType.Float);
                TensorValue expected = Run(b, feeds, level);

                var g = ConvGeometry.Resolve([n, c, h, w], m, [kh, kw], [stride, stride], [dil, dil], [pad, pad, pad, pad], "NOTSET", group);
                // At ORT_ENABLE_ALL a constant-weight Conv that fits the NCHWc rules becomes com.microsoft.nchwc Conv;
                // every other combination runs MLAS's NCHW conv (FloatConv).
                bool nchwc = source == WeightSource.Constant && level == GraphOptimizationLevel.ORT_ENABLE_ALL && NchwcConv.Applies(g);
                float[] actual = nchwc ? NchwcConv.Conv(x, wv, bias, g) : FloatConv.Conv(x, wv, bias, g);
                int bad = BitMismatches(expected.Items<float>(), actual);
                string algorithm = nchwc ? "Nchwc." + NchwcConv.Choose(g) : FloatConv.Choose(g).ToString();
                _out.WriteLine($"{source,-12} {level,-22} {algorithm,-26} mismatches {bad}/{actual.Length}");
                Assert.Equal(0, bad);
            }
        }
    }
}
