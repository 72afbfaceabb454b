using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// trt::TRT_FP4DynamicQuantize followed by Model Optimizer's two DequantizeLinears, on values worked out by hand from
/// the NVFP4 recipe: block scale E4M3(amax / 6 / S), codes E2M1(x / (block scale · S)), nearest-even, saturating.
/// E2M1 codes: 0, 0.5, 1, 1.5, 2, 3, 4, 6 are codes 0 to 7, the sign is bit 3.
/// </summary>
public sealed class TensorRtOpsTests
{
    [Fact]
    public void Fp4DynamicQuantize_AlongTheLastAxis_BlocksOf16AndAPartialBlock()
    {
        float[] x = new float[20];
        // Block 0 (16 values): amax 24, 24 / 6 / 0.5 = 8 is an E4M3 value, divisor 8 · 0.5 = 4: 24 → 6, 12 → 3,
        // 5 → 1.25 (a tie: the even code, 1), -3 → -0.75 (a tie: -1), 0.9 → 0.225 (0).
        (x[0], x[1], x[2], x[3], x[4]) = (24f, 12f, 5f, -3f, 0.9f);
        // Block 1 (4 values): amax 1000, 1000 / 6 / 0.5 = 333.3 rounds to E4M3's 320 (its neighbours are 320 and 352),
        // divisor 160: 1000 → 6.25 saturates to 6, 80 → 0.5, -200 → -1.25 (a tie: -1), 0 → 0.
        (x[16], x[17], x[18]) = (1000f, 80f, -200f);
        (TensorValue codes, TensorValue scales, TensorValue dequantized) = Run(x, [1, 20], axis: -1, scale: 0.5f);

        byte[] expectedCodes = new byte[20];
        (expectedCodes[0], expectedCodes[1], expectedCodes[2], expectedCodes[3]) = (7, 5, 2, 0x8 | 2);
        (expectedCodes[16], expectedCodes[17], expectedCodes[18]) = (7, 1, 0x8 | 2);
        Assert.Equal(DataType.Float4E2M1, codes.Type);
        Assert.Equal(expectedCodes, codes.Items<byte>());
        Assert.Equal(DataType.Float8E4M3FN, scales.Type);
        Assert.Equal([1, 2], scales.Shape.ToArray());
        Assert.Equal([8f, 320f], scales.Items<byte>().Select(Fp8E4M3Fn.Decode));

        float[] expected = new float[20];
        (expected[0], expected[1], expected[2], expected[3]) = (24f, 12f, 4f, -4f);
        (expected[16], expected[17], expected[18]) = (960f, 80f, -160f);
        Assert.Equal(expected, dequantized.Items<float>());
    }

    [Fact]
    public void Fp4DynamicQuantize_AlongTheChannels_BlocksEachPixel()
    {
        // x[0, c, 0, w]: pixel w = 0 holds channels (12, 3), pixel 1 holds (-1, 0.25); S = 1.
        // Pixel 0: 12 / 6 = 2 (E4M3), 12 / 2 = 6, 3 / 2 = 1.5. Pixel 1: 1 / 6 = 0.1667 rounds to E4M3's 0.171875
        // (0.125 · 1.375; its neighbours are 0.15625 and 0.1875), -1 / 0.171875 = -5.8 → -6, 0.25 / 0.171875 = 1.45 → 1.5.
        (TensorValue codes, TensorValue scales, TensorValue dequantized) = Run([12f, -1f, 3f, 0.25f], [1, 2, 1, 2], axis: 1, scale: 1f);

        Assert.Equal([7, 0x8 | 7, 3, 3], codes.Items<byte>());
        Assert.Equal([1, 1, 1, 2], scales.Shape.ToArray());
        Assert.Equal([2f, 0.171875f], scales.Items<byte>().Select(Fp8E4M3Fn.Decode));
        Assert.Equal([12f, -6f * 0.171875f, 3f, 1.5f * 0.171875f], dequantized.Items<float>());
    }

    [Fact]
    public void Fp4DynamicQuantize_RefusesOtherBlockSizes()
    {
        var e = Assert.Throws<ExecutionException>(() => Run([1f], [1, 1], axis: -1, scale: 1f, blockSize: 32));
        Assert.Contains("block_size 16", e.Message, StringComparison.Ordinal);
    }

    private static (TensorValue Codes, TensorValue Scales, TensorValue Dequantized) Run(float[] x, int[] shape, long axis, float scale, long blockSize = 16)
    {
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, [.. shape.Select(d => (int?)d)])
            .Initializer("s", TensorValue.Scalar(DataType.Float, scale))
            .Node("TRT_FP4DynamicQuantize", ["x", "s"], ["q", "qs"], domain: "trt", name: "quantize", attributes: [("axis", axis), ("block_size", blockSize), ("scale_type", (long)DataType.Float8E4M3FN)])
            .Node("DequantizeLinear", ["qs", "s"], ["qsd"])
            .Node("DequantizeLinear", ["q", "qsd"], ["y"], attributes: [("axis", axis), ("block_size", 16L)])
            .Output("q", DataType.Float4E2M1)
            .Output("qs", DataType.Float8E4M3FN)
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);
        var outputs = GraphExecutor.Run(graph, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats(shape, x) });
        return (outputs[0].Value, outputs[1].Value, outputs[2].Value);
    }
}
