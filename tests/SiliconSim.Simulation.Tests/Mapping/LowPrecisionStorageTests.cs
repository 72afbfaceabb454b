using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Simulation.Tests.Mapping;

/// <summary>What the timing model reads and writes around low-precision array layers: MX activations between array
/// layers at 4 bits plus one scale byte per 32, fp32 where the graph's input, its output or an NVFP4 layer needs it.</summary>
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
}
