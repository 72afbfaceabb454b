using Google.Protobuf;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// ResNet-18 (<see cref="ResNet18"/>): the topology against He et al.'s Table 1 and torchvision's parameter count, and
/// SiliconSim (ORT-CPU lowering, then the executor) against ONNX Runtime bit for bit: the QDQ s8s8 per-channel form
/// (issue 14's workload) and the QOperator u8s8 per-tensor form at 224x224 batch 1, the fp32 model at small sizes.
/// </summary>
public sealed class ResNet18Tests
{
    /// <summary>torchvision's published parameter count of resnet18 (IMAGENET1K_V1 weights' <c>num_params</c>).</summary>
    private const long TorchvisionParameters = 11_689_512;

    /// <summary>
    /// The convs of ResNet-18 in forward order (He et al., CVPR 2016, Table 1, with torchvision's choices: stride on the
    /// first 3x3 of a block, 1x1 stride-2 projection shortcuts), written out here independently of the builder.
    /// </summary>
    private static readonly (int In, int Out, int Kernel, int Stride)[] s_convs =
    [
        (3, 64, 7, 2),
        (64, 64, 3, 1), (64, 64, 3, 1), (64, 64, 3, 1), (64, 64, 3, 1),
        (64, 128, 3, 2), (128, 128, 3, 1), (64, 128, 1, 2), (128, 128, 3, 1), (128, 128, 3, 1),
        (128, 256, 3, 2), (256, 256, 3, 1), (128, 256, 1, 2), (256, 256, 3, 1), (256, 256, 3, 1),
        (256, 512, 3, 2), (512, 512, 3, 1), (256, 512, 1, 2), (512, 512, 3, 1), (512, 512, 3, 1),
    ];

    [Fact]
    public void Fp32_HasTorchvisionsLayersAndParameterCount()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(ResNet18.Fp32());
        var inits = model.Graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(s_convs.Length, convs.Count);
        for (int i = 0; i < convs.Count; i++)
        {
            (int cin, int cout, int k, int s) = s_convs[i];
            Assert.Equal([cout, cin, k, k], inits[convs[i].Input[1]].Dims.ToArray());
            Assert.Equal([cout], inits[convs[i].Input[2]].Dims.ToArray());
            Assert.Equal([s, s], convs[i].Attribute.Single(a => a.Name == "strides").Ints.ToArray());
            Assert.Equal(Enumerable.Repeat((long)(k / 2), 4), convs[i].Attribute.Single(a => a.Name == "pads").Ints.ToArray());
        }

        Assert.Equal(8, model.Graph.Node.Count(n => n.OpType == "Add"));
        Assert.Equal(1 + 16, model.Graph.Node.Count(n => n.OpType == "Relu"));
        Assert.Equal(["MaxPool", "GlobalAveragePool", "Flatten", "Gemm"], model.Graph.Node.Select(n => n.OpType).Where(op => op is not ("Conv" or "Relu" or "Add")));

        // Every parameter of the model, counted from its initializers, against the layer table: each conv's weights and
        // its folded BatchNorm's bias, and the 512 -> 1000 classifier.
        long parameters = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
        long fromTable = s_convs.Sum(c => ((long)c.In * c.Out * c.Kernel * c.Kernel) + c.Out) + (512 * 1000) + 1000;
        Assert.Equal(fromTable, parameters);

        // torchvision counts each BatchNorm's weight and bias (2 per channel) and convs without bias; folded, each
        // BatchNorm leaves 1 per channel (the conv's bias): 11,689,512 minus one per BatchNorm channel.
        long batchNormChannels = s_convs.Sum(c => (long)c.Out);
        Assert.Equal(TorchvisionParameters - batchNormChannels, parameters);
    }

    [Fact]
    public void QdqS8S8Channel_224_MatchesOrtBitForBit()
    {
        byte[] model = ResNet18.QdqS8S8Channel(224);
        TensorValue input = ResNet18.Input(224);
        TensorValue expected = OrtOracle.RunSingle(model, (ResNet18.InputName, input));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        TensorValue actual = GraphExecutor.Run(lowered, Feeds(input))[0].Value;
        Assert.Equal([1, ResNet18.Classes], expected.Shape.ToArray());
        TransformerEncoderTests.AssertSameBits(actual, expected, "ResNet-18 QDQ s8s8 per channel 224x224");

        // Guard the test's power: the logits are not degenerate (a network whose activations collapsed would agree
        // trivially). They are int8 codes dequantized, so at most 256 distinct values.
        Assert.True(expected.Items<float>().Distinct().Count() >= 64, "the logits take few distinct values");
    }

    [Fact]
    public void QdqS8S8Channel_Lowering_ChoosesTheKernelsOrtChooses()
    {
        // ONNX Runtime's own optimised graph is the oracle for which kernels run. On x86-64 it converts int8 Q -> DQ
        // pairs to uint8 only where the Q has a single DQ consumer (QDQS8ToU8Transformer), so a block input read by
        // both a conv and the residual Add (or the projection conv) keeps int8 codes, and its consumers stay
        // DequantizeLinear -> float op -> QuantizeLinear: SiliconSim's lowering must make the same choice, op for op.
        byte[] model = ResNet18.QdqS8S8Channel(32);
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(model)));
        foreach (string op in ours.Nodes.Concat(ort.Nodes).Select(n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }

        Assert.Equal(s_convs.Length, Count(ours, "QLinearConv") + Count(ours, "Conv"));
        Assert.True(Count(ours, "QLinearConv") > 0, "no conv runs on int8 codes");
        Assert.Equal(1, Count(ours, "QGemm"));
    }

    [Fact]
    public void QopU8S8Tensor_224_MatchesOrtBitForBit()
    {
        byte[] model = ResNet18.QopU8S8Tensor(224);
        TensorValue input = ResNet18.Input(224, seed: 224);
        TensorValue expected = OrtOracle.RunSingle(model, (ResNet18.InputName, input));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        TensorValue actual = GraphExecutor.Run(lowered, Feeds(input))[0].Value;
        Assert.Equal([1, ResNet18.Classes], expected.Shape.ToArray());
        TransformerEncoderTests.AssertSameBits(actual, expected, "ResNet-18 QOperator u8s8 per tensor 224x224");
        Assert.True(expected.Items<float>().Distinct().Count() >= 64, "the logits take few distinct values");
    }

    [Fact]
    public void QopU8S8Tensor_Lowering_ChoosesTheKernelsOrtChooses()
    {
        // The QOperator form names its kernels itself: every conv a QLinearConv, every residual Add a QLinearAdd.
        byte[] model = ResNet18.QopU8S8Tensor(32);
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(model)));
        foreach (string op in ours.Nodes.Concat(ort.Nodes).Select(n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }

        Assert.Equal(s_convs.Length, Count(ort, "QLinearConv"));
        Assert.Equal(8, Count(ort, "QLinearAdd"));
    }

    [Fact]
    public void QuantizedForms_ShareCalibration_AsSeparateCalibrationsWould()
    {
        // The cache calibrates once per size for both forms; quantize_static calibrating for each form alone must give
        // the same model.
        ModelGraph fp32 = OnnxModelReader.Read(new MemoryStream(ResNet18.Fp32(32)));
        Assert.Equal(OnnxModelWriter.ToBytes(StaticQuantizer.Quantize(fp32, ResNet18.Calibration(32), ResNet18.QopU8S8TensorOptions)), ResNet18.QopU8S8Tensor(32));
        Assert.Equal(OnnxModelWriter.ToBytes(StaticQuantizer.Quantize(fp32, ResNet18.Calibration(32), ResNet18.QdqS8S8ChannelOptions)), ResNet18.QdqS8S8Channel(32));
    }

    /// <summary>
    /// The fp32 network at level ALL: its residual Adds fold into NCHWc convs, the first one's shortcut being the stem's
    /// NCHWc MaxPool output (a pool output ORT tracks as NCHWc; summing that Add outside conv2 differed by 1 ulp in 1802
    /// of 4096 elements of /layer1/layer1.0/relu_1 at 32x32).
    /// </summary>
    [Theory]
    [InlineData(64, 2)]
    [InlineData(32, 3)]
    public void Fp32_SmallImages_MatchOrtBitForBit(int size, int batch)
    {
        byte[] model = ResNet18.Fp32(size);
        TensorValue input = ResNet18.Input(size, batch, seed: size);
        TensorValue expected = OrtOracle.RunSingle(model, (ResNet18.InputName, input));
        TensorValue actual = GraphExecutor.Run(OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model))), Feeds(input))[0].Value;
        Assert.Equal([batch, ResNet18.Classes], expected.Shape.ToArray());
        TransformerEncoderTests.AssertSameBits(actual, expected, $"ResNet-18 fp32 {batch}x{size}x{size}");
    }

    [Fact]
    public void Build_IsDeterministic_AndTheWeightsDoNotDependOnTheImageSize()
    {
        Assert.Equal(ResNet18.Build(32, ResNet18.ModelSeed), ResNet18.Fp32(32));
        var small = ModelProto.Parser.ParseFrom(ResNet18.Fp32(32)).Graph.Initializer;
        var large = ModelProto.Parser.ParseFrom(ResNet18.Fp32(224)).Graph.Initializer;
        Assert.Equal(small.Select(t => t.ToByteString()), large.Select(t => t.ToByteString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(48)]
    [InlineData(-32)]
    public void Build_RefusesSizesThatAreNotMultiplesOf32(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet18.Fp32(size));
    }

    private static Dictionary<string, TensorValue> Feeds(TensorValue x) => new(StringComparer.Ordinal) { [ResNet18.InputName] = x };

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);
}
