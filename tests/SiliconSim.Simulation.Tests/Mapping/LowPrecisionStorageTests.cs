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
    [InlineData(16, false)]  // NVFP4 weights: per-row scales, so the hidden activation stays fp32
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
}
