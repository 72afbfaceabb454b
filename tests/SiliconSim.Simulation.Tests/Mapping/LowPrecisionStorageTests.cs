using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Simulation.Tests.Mapping;

/// <summary>What the timing model reads and writes around low-precision array layers: MX activations between array
/// layers at their element width plus one E8M0 byte per block of 32 (channels of a pixel, or elements of a row), fp32
/// where the graph's input, its output or an NVFP4 layer without a calibrated activation scale needs it.</summary>
public sealed class LowPrecisionStorageTests
{
    [Theory]
    [InlineData(32, true)]   // MXFP4 weights: the hidden activation is stored in MX
    [InlineData(16, false)]  // NVFP4 weights, no calibrated activation quantizer: per-row scales, so the hidden activation stays fp32
    public void HiddenActivation_IsStoredInMx_OnlyBetweenMxArrayLayers(int blockSize, bool stored)
    {
        const int Batch = 4, K = 64, H = 96, N = 10;
        int blocks = K / blockSize, hiddenBlocks = H / blockSize;
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, Batch, K)
            .Initializer("w1q", TensorValue.Create(DataType.Float4E2M1, [K, H], new byte[K * H]))
            .Initializer("w1s", TensorValue.FromFloats([blocks, H], [.. Enumerable.Repeat(1f, blocks * H)]))
            .Initializer("w2q", TensorValue.Create(DataType.Float4E2M1, [H, N], new byte[H * N]))
            .Initializer("w2s", TensorValue.FromFloats([hiddenBlocks, N], [.. Enumerable.Repeat(1f, hiddenBlocks * N)]))
            .Node("DequantizeLinear", ["w1q", "w1s"], ["w1"], attributes: [("axis", 0L), ("block_size", (long)blockSize)])
            .Node("DequantizeLinear", ["w2q", "w2s"], ["w2"], attributes: [("axis", 0L), ("block_size", (long)blockSize)])
            .Node("MatMul", ["x", "w1"], ["h"], name: "m1")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("MatMul", ["r", "w2"], ["y"], name: "m2")
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers.Cast<MatrixLayer>().ToList();

        Assert.Equal(2, layers.Count);
        long hidden = Batch * H;
        long mxBytes = (hidden / 2) + (hidden / 32); // two fp4 codes per byte, one E8M0 scale per 32
        Assert.Equal(DataType.Float, layers[0].InputType); // the graph's input arrives in fp32
        Assert.Equal(Batch * K * 4, layers[0].InputBytes);
        Assert.Equal(stored ? DataType.Float4E2M1 : DataType.Float, layers[0].OutputType);
        Assert.Equal(stored ? mxBytes : hidden * 4, layers[0].OutputBytes);
        Assert.Equal(stored ? DataType.Float4E2M1 : DataType.Float, layers[1].InputType);
        Assert.Equal(stored ? mxBytes : hidden * 4, layers[1].InputBytes);
        Assert.Equal(DataType.Float, layers[1].OutputType); // the graph's output leaves in fp32
    }

    [Theory]
    [InlineData(DataType.Float4E2M1, 4)]   // MXFP4
    [InlineData(DataType.Float8E4M3FN, 8)] // MXFP8 (E4M3)
    public void ConvActivations_StoredInMx_CountOneScalePerBlockOf32ChannelsOfEachPixel(DataType element, int bits)
    {
        // conv (16 channels out) → Relu → MaxPool 2x2 → conv. OCP MX v1.0 blocks 32 elements under one E8M0 scale; the
        // array's blocks are 32 channels of one pixel, so 16 channels make one partial block, with its own scale, per
        // pixel: 16 · bits / 8 bytes of elements and 1 byte of scale per pixel.
        const int Batch = 2, C = 16, H = 6, W = 4;
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, Batch, 3, H, W)
            .Initializer("w1q", TensorValue.Create(element, [C, 3, 3, 3], new byte[C * 27]))
            .Initializer("w1s", TensorValue.FromFloats([C, 1, 3, 3], [.. Enumerable.Repeat(1f, C * 9)]))
            .Initializer("w2q", TensorValue.Create(element, [8, C, 3, 3], new byte[8 * C * 9]))
            .Initializer("w2s", TensorValue.FromFloats([8, 1, 3, 3], [.. Enumerable.Repeat(1f, 8 * 9)]))
            .Node("DequantizeLinear", ["w1q", "w1s"], ["w1"], attributes: [("axis", 1L), ("block_size", 32L)])
            .Node("DequantizeLinear", ["w2q", "w2s"], ["w2"], attributes: [("axis", 1L), ("block_size", 32L)])
            .Node("Conv", ["x", "w1"], ["h"], name: "c1", attributes: [("pads", new long[] { 1, 1, 1, 1 })])
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("MaxPool", ["r"], ["p"], name: "pool", attributes: [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })])
            .Node("Conv", ["p", "w2"], ["y"], name: "c2", attributes: [("pads", new long[] { 1, 1, 1, 1 })])
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers;
        Assert.Equal(["ArrayConv", "MaxPool", "ArrayConv"], layers.Select(l => l.OpType));
        long convPixels = Batch * H * W, poolPixels = Batch * (H / 2) * (W / 2);
        long convOut = (convPixels * C * bits / 8) + convPixels, poolOut = (poolPixels * C * bits / 8) + poolPixels;
        var first = (MatrixLayer)layers[0];
        var second = (MatrixLayer)layers[2];
        Assert.Equal((element, convOut), (first.OutputType, first.OutputBytes));
        Assert.Equal((convOut, poolOut), (layers[1].InputBytes, layers[1].OutputBytes));
        Assert.Equal((element, poolOut), (second.InputType, second.InputBytes));
    }

    [Theory]
    [InlineData(32, 1)]  // MXFP4: one E8M0 byte per block
    [InlineData(16, 1)]  // NVFP4: one E4M3 byte per block
    public void ArrayWeightScales_TravelWithTheCodes_AtTheFormatsWidth(int blockSize, int scaleBytesPerBlock)
    {
        // A depthwise conv over 40 channels (weights [40, 1, 3, 3], blocked along the 1 input channel of each group: a
        // scale per element) and a 1x1 conv 40 -> 8 (weights [8, 40, 1, 1]: blocks of 32 + 8 or 16 + 16 + 8 channels).
        // The graph holds each scale as fp32; the array stores it as one byte, and the layer reads it with the codes.
        const int Batch = 1, C = 40, H = 4, W = 4;
        int pointBlocks = (C + blockSize - 1) / blockSize;
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, Batch, C, H, W)
            .Initializer("dwq", TensorValue.Create(DataType.Float4E2M1, [C, 1, 3, 3], new byte[C * 9]))
            .Initializer("dws", TensorValue.FromFloats([C, 1, 3, 3], [.. Enumerable.Repeat(1f, C * 9)]))
            .Initializer("pwq", TensorValue.Create(DataType.Float4E2M1, [8, C, 1, 1], new byte[8 * C]))
            .Initializer("pws", TensorValue.FromFloats([8, pointBlocks, 1, 1], [.. Enumerable.Repeat(1f, 8 * pointBlocks)]))
            .Node("DequantizeLinear", ["dwq", "dws"], ["dw"], attributes: [("axis", 1L), ("block_size", (long)blockSize)])
            .Node("DequantizeLinear", ["pwq", "pws"], ["pw"], attributes: [("axis", 1L), ("block_size", (long)blockSize)])
            .Node("Conv", ["x", "dw"], ["h"], name: "depthwise", attributes: [("group", (long)C), ("pads", new long[] { 1, 1, 1, 1 })])
            .Node("Conv", ["h", "pw"], ["y"], name: "pointwise")
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers.Cast<MatrixLayer>().ToList();
        Assert.Equal(["ArrayConv", "ArrayConv"], layers.Select(l => l.OpType));
        long depthwise = (C * 9 / 2) + (C * 9 * scaleBytesPerBlock), pointwise = (8 * C / 2) + (8 * pointBlocks * scaleBytesPerBlock);
        Assert.Equal([depthwise, pointwise], layers.Select(l => l.WeightBytes));
        Assert.All(layers, l => Assert.Equal(new BlockScales(8, blockSize), l.WeightScales));

        // The scales are not a read of their own: the weights' tensor carries them, and the tiles stream them.
        Assert.Equal(["dwq"], layers[0].Reads.Where(r => r.Origin == TensorOrigin.Constant).Select(r => r.Name));
        Assert.Equal(depthwise, layers[0].Reads.Single(r => r.Name == "dwq").Bytes);
        Assert.DoesNotContain(layers[1].Reads, r => r.Name == "pws");

        // Everything fits a 1 MiB unified buffer, byte bursts: each layer reads exactly its weights with their scales.
        var spec = Memory.TestSpecs.Spec([Memory.TestSpecs.Buffer("ub", Hardware.Specs.BufferRole.Unified, 1 << 20, doubleBuffered: true)], burstBytes: 1);
        spec = spec with { Array = spec.Array with { OperandTypes = [DataType.Float4E2M1] } };
        PerformanceOutcome outcome = PerformanceModel.Evaluate(spec, [.. layers.Cast<LayerWork>()], "mx", Batch, new OperandTypes(graph));
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems.Select(p => p.Message)));
        var result = outcome.Result!;
        Assert.Equal([depthwise, pointwise], result.Layers.Select(l => l.Dram.WeightReadBytes));
    }

    [Theory]
    [InlineData(true, 321)]  // 6 rows of 80 4-bit codes (40 B) + 3 blocks x (32-bit scale + 4-bit zero point) = 53.5 B
    [InlineData(false, 312)] // no zero points: 40 + 3 x 4 = 52 B a row
    public void MatMulNBits_ScalesAndZeroPoints_StreamWithTheWeights(bool zeroPoints, long weightBytes)
    {
        // K = 80 in blocks of 32 (32, 32 and a partial 16), N = 6, 4 bits; ORT's layout: B [6, 3, 16] uint8, scales
        // [18] fp32, zero points [6 x 2] uint8 (two 4-bit points a byte, a row padded to whole bytes).
        const int K = 80, N = 6, Blocks = 3;
        var b = new OnnxBuilder(21)
            .Input("a", DataType.Float, 2, K)
            .Initializer("b", TensorValue.Create(DataType.UInt8, [N, Blocks, 16], new byte[N * Blocks * 16]))
            .Initializer("s", TensorValue.FromFloats([N * Blocks], [.. Enumerable.Repeat(0.5f, N * Blocks)]));
        if (zeroPoints)
        {
            b = b.Initializer("z", TensorValue.Create(DataType.UInt8, [N * 2], new byte[N * 2]));
        }

        b = b.Node("MatMulNBits", zeroPoints ? ["a", "b", "s", "z"] : ["a", "b", "s"], ["y"], domain: "com.microsoft", name: "nbits",
                attributes: [("K", (long)K), ("N", (long)N), ("bits", 4L), ("block_size", 32L)])
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);

        MatrixLayer layer = Assert.Single(LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, 2)).Layers.Cast<MatrixLayer>());
        Assert.Equal(new BlockScales(zeroPoints ? 36 : 32, 32), layer.WeightScales);
        Assert.Equal(weightBytes, layer.WeightBytes);
        TensorUse constant = Assert.Single(layer.Reads, r => r.Origin == TensorOrigin.Constant);
        Assert.Equal(("b", weightBytes), (constant.Name, constant.Bytes));
    }

    [Fact]
    public void ConvActivations_WithACalibratedNvFp4Scale_AreStoredInNvFp4_ExceptWhereAPoolReadsThemInFp32()
    {
        // x → conv (40 ch) → Relu → [NVFP4 quantizer, S1] → conv (40 ch) → Relu → MaxPool → [NVFP4 quantizer, S2] → conv.
        // NVFP4: E2M1 elements (4 bits, two to a byte) and one E4M3 byte per block of 16 channels of a pixel: 40 channels
        // make blocks of 16, 16 and 8, three scale bytes per pixel. The tensor scale is a model constant.
        const int Batch = 2, C = 40, H = 4, W = 4;
        var b = new OnnxBuilder(23).Input("x", DataType.Float, Batch, 3, H, W);
        b = Weights(b, "w1", C, 3).Node("Conv", ["x", "w1"], ["h1"], name: "c1", attributes: [("pads", new long[] { 1, 1, 1, 1 })]).Node("Relu", ["h1"], ["r1"], name: "relu1");
        b = NvFp4Activation(b, "r1", "r1d", 0.5f, axis: 1);
        b = Weights(b, "w2", C, C).Node("Conv", ["r1d", "w2"], ["h2"], name: "c2", attributes: [("pads", new long[] { 1, 1, 1, 1 })]).Node("Relu", ["h2"], ["r2"], name: "relu2")
            .Node("MaxPool", ["r2"], ["p"], name: "pool", attributes: [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })]);
        b = NvFp4Activation(b, "p", "pd", 0.25f, axis: 1);
        b = Weights(b, "w3", 8, C).Node("Conv", ["pd", "w3"], ["y"], name: "c3").Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers;
        Assert.Equal(["ArrayConv", "ArrayConv", "MaxPool", "ArrayConv"], layers.Select(l => l.OpType));
        long pixels = Batch * H * W, pooled = Batch * (H / 2) * (W / 2);
        long stored = (pixels * C / 2) + (pixels * 3), pooledStored = (pooled * C / 2) + (pooled * 3);
        var (c1, c2, pool, c3) = ((MatrixLayer)layers[0], (MatrixLayer)layers[1], layers[2], (MatrixLayer)layers[3]);
        Assert.Equal((DataType.Float, Batch * 3 * H * W * 4L), (c1.InputType, c1.InputBytes)); // the graph's input
        Assert.Equal((DataType.Float4E2M1, stored), (c1.OutputType, c1.OutputBytes));
        Assert.Equal((DataType.Float4E2M1, stored), (c2.InputType, c2.InputBytes));
        Assert.Equal((DataType.Float, pixels * C * 4), (c2.OutputType, c2.OutputBytes)); // MaxPool runs on fp32 values
        Assert.Equal((pixels * C * 4, pooledStored), (pool.InputBytes, pool.OutputBytes));
        Assert.Equal((DataType.Float4E2M1, pooledStored), (c3.InputType, c3.InputBytes));
    }

    [Theory]
    [InlineData(0.5f, true)]   // both readers convert with the same static scale: one stored form
    [InlineData(0.25f, false)] // two scales would need two stored copies: fp32
    public void GemmActivation_ReadByTwoNvFp4Layers_IsStoredOnlyUnderOneScale(float secondScale, bool stored)
    {
        const int Batch = 3, K = 24, H = 40;
        var b = new OnnxBuilder(23).Input("x", DataType.Float, Batch, K);
        b = GemmWeights(b, "w1", K, H).Node("MatMul", ["x", "w1"], ["h"], name: "m1");
        b = NvFp4Activation(b, "h", "hd", 0.5f, axis: -1);
        b = NvFp4Activation(b, "h", "he", secondScale, axis: -1, suffix: "_e");
        b = GemmWeights(b, "w2", H, 8).Node("MatMul", ["hd", "w2"], ["y"], name: "m2");
        b = GemmWeights(b, "w3", H, 8).Node("MatMul", ["he", "w3"], ["z"], name: "m3").Output("y", DataType.Float).Output("z", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers.Cast<MatrixLayer>().ToList();
        Assert.Equal(3, layers.Count);
        // 40-element rows: blocks of 16, 16 and 8, three E4M3 bytes per row.
        long expected = stored ? (Batch * H / 2) + (Batch * 3) : Batch * H * 4;
        Assert.Equal(expected, layers[0].OutputBytes);
        Assert.Equal(expected, layers[1].InputBytes);
        Assert.Equal(expected, layers[2].InputBytes);
    }

    [Fact]
    public void Fp8ActivationsQuantizedPerTensor_TravelAsOneByteCodes()
    {
        // Gemm → Relu → QuantizeLinear (fp8, per tensor) → DequantizeLinear → Gemm: the array writes the E4M3 codes
        // (the quantizer in its epilogue) and the next one reads them, one byte per element; the per-tensor scale is a
        // constant of the model, read as its own 4-byte initializer.
        const int Batch = 3, K = 24, H = 40, N = 8;
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, Batch, K)
            .Initializer("w1q", TensorValue.Create(DataType.Float8E4M3FN, [K, H], new byte[K * H]))
            .Initializer("w1s", TensorValue.FromFloats([H], [.. Enumerable.Repeat(1f, H)]))
            .Initializer("w2q", TensorValue.Create(DataType.Float8E4M3FN, [H, N], new byte[H * N]))
            .Initializer("w2s", TensorValue.FromFloats([N], [.. Enumerable.Repeat(1f, N)]))
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.5f))
            .Initializer("z", TensorValue.Create(DataType.Float8E4M3FN, [], new byte[] { 0 }))
            .Node("DequantizeLinear", ["w1q", "w1s"], ["w1"], attributes: [("axis", 1L)])
            .Node("DequantizeLinear", ["w2q", "w2s"], ["w2"], attributes: [("axis", 1L)])
            .Node("MatMul", ["x", "w1"], ["h"], name: "m1")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("QuantizeLinear", ["r", "s", "z"], ["rq"], name: "q")
            .Node("DequantizeLinear", ["rq", "s", "z"], ["rd"], name: "dq")
            .Node("MatMul", ["rd", "w2"], ["y"], name: "m2")
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = LowPrecisionArrayMapping.Apply(OnnxModelReader.Read(stream), _ => true);

        var layers = LayerExtractor.Extract(graph, ShapeInference.InputShapes(graph, Batch)).Layers.Cast<MatrixLayer>().ToList();
        Assert.Equal(2, layers.Count);
        Assert.Equal((DataType.Float8E4M3FN, (long)Batch * H), (layers[0].OutputType, layers[0].OutputBytes));
        Assert.Equal((DataType.Float8E4M3FN, (long)Batch * H), (layers[1].InputType, layers[1].InputBytes));
    }

    /// <summary>NVFP4 weights [out, in, 3, 3] (or 1x1 for the last conv) blocked by 16 input channels, scale 1.</summary>
    private static OnnxBuilder Weights(OnnxBuilder b, string name, int outChannels, int inChannels)
    {
        int k = name == "w3" ? 1 : 3, blocks = (inChannels + 15) / 16;
        return b.Initializer(name + "q", TensorValue.Create(DataType.Float4E2M1, [outChannels, inChannels, k, k], new byte[outChannels * inChannels * k * k]))
            .Initializer(name + "s", TensorValue.FromFloats([outChannels, blocks, k, k], [.. Enumerable.Repeat(1f, outChannels * blocks * k * k)]))
            .Node("DequantizeLinear", [name + "q", name + "s"], [name], attributes: [("axis", 1L), ("block_size", 16L)]);
    }

    private static OnnxBuilder GemmWeights(OnnxBuilder b, string name, int k, int n)
    {
        int blocks = (k + 15) / 16;
        return b.Initializer(name + "q", TensorValue.Create(DataType.Float4E2M1, [k, n], new byte[k * n]))
            .Initializer(name + "s", TensorValue.FromFloats([blocks, n], [.. Enumerable.Repeat(1f, blocks * n)]))
            .Node("DequantizeLinear", [name + "q", name + "s"], [name], attributes: [("axis", 0L), ("block_size", 16L)]);
    }

    /// <summary>NVIDIA Model Optimizer's NVFP4 activation: trt::TRT_FP4DynamicQuantize and two DequantizeLinears.</summary>
    private static OnnxBuilder NvFp4Activation(OnnxBuilder b, string x, string output, float scale, long axis, string suffix = "") => b
        .Initializer(x + "_s" + suffix, TensorValue.Scalar(DataType.Float, scale))
        .Node("TRT_FP4DynamicQuantize", [x, x + "_s" + suffix], [x + "_q" + suffix, x + "_qs" + suffix], domain: "trt", name: x + "_quantize" + suffix,
            attributes: [("axis", axis), ("block_size", 16L), ("scale_type", (long)DataType.Float8E4M3FN)])
        .Node("DequantizeLinear", [x + "_qs" + suffix, x + "_s" + suffix], [x + "_qsd" + suffix], name: x + "_scales" + suffix)
        .Node("DequantizeLinear", [x + "_q" + suffix, x + "_qsd" + suffix], [output], name: x + "_codes" + suffix, attributes: [("axis", axis), ("block_size", 16L)]);
}
