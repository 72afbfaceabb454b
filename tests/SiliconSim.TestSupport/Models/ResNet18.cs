using System.Collections.Concurrent;
using Google.Protobuf;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// torchvision's ResNet-18 (He et al., CVPR 2016, Table 1; <c>torchvision.models.resnet18</c>) with seeded weights, as
/// PyTorch's exporter writes it at opset 17 in eval mode (BatchNorm folded into the convs' weights and biases), and its
/// ONNX Runtime <c>quantize_static</c> forms: QDQ, int8 activations x int8 per-channel weights, and QOperator, uint8
/// activations x int8 per-tensor weights, both MinMax.
/// </summary>
/// <remarks>
/// Topology: input <c>input</c> [N, 3, S, S] (symbolic batch N; S any positive multiple of 32, 224 for the real
/// network); stem conv 7x7/2 pad 3 to 64 + Relu; MaxPool 3x3/2 pad 1; four stages of two BasicBlocks (conv 3x3 + Relu,
/// conv 3x3, residual Add, Relu) at 64, 128, 256 and 512 channels, the first block of stages 2-4 with stride 2 and a
/// 1x1 stride-2 projection conv on the shortcut; GlobalAveragePool, Flatten, Gemm (transB) to 1000 logits
/// <c>logits</c> [N, 1000]. Node and value names follow the exporter's (<c>/layer2/layer2.0/conv1/Conv</c>,
/// <c>/layer2/layer2.0/conv1/Conv_output_0</c>); parameters are named after their module (<c>layer2.0.conv1.weight</c>,
/// and <c>layer2.0.conv1.bias</c> for the folded bn1's bias).
/// Weights (seed <see cref="ModelSeed"/>, drawn in forward order: each conv's weight then bias, then the classifier's):
/// He-normal conv weights (std sqrt(2 / fan_in)), biases normal(0, 0.1), FC weights normal(0, sqrt(1 / 512)); .NET's
/// seeded <see cref="Random"/>, normals by Box-Muller (<see cref="SeededTensors"/>), as the zoo models
/// (<see cref="ZooModels"/>). They do not depend on the image size.
/// The quantized forms are SiliconSim's own quantizer (<see cref="StaticQuantizer"/>, which reproduces ORT's
/// quantize_static) calibrated on <see cref="CalibrationImages"/> standard-normal images of the same size (seed
/// <see cref="CalibrationSeed"/>), one image per calibration batch. ONNX Runtime's x86-64 CPU provider runs the QDQ form
/// partly in float: it turns int8 Q -> DQ pairs into uint8 (QDQS8ToU8Transformer) only where the Q feeds a single DQ,
/// so every tensor read twice (a block's input, by conv1 and by the residual Add or the projection conv) stays int8,
/// and its readers run as DequantizeLinear -> float op -> QuantizeLinear: 9 of the 20 convs become QLinearConv, the
/// other 11 and all 8 Adds stay float (SiliconSim's lowering makes the same choice).
/// The weights are drawn once per test process and every model is built once per size; calibration runs the fp32
/// network in SiliconSim (about a second per 224x224 image), so the first <see cref="QdqS8S8Channel"/> call at 224
/// costs a few seconds. The returned arrays are shared: do not modify them.
/// </remarks>
public static class ResNet18
{
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const int Classes = 1000;
    public const int ImageSize = 224;
    public const int ModelSeed = 18;
    public const int CalibrationSeed = 1818;
    public const int CalibrationImages = 2;
    public const int InputSeed = 2018;

    /// <summary>The channels of the four stages.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>The 20 convs in forward order, each with its node scope and parameter name.</summary>
    public static IReadOnlyList<ConvLayer> Convs { get; } = MakeConvs();

    /// <summary>quantize_static's options for the QOperator form: uint8 activations, int8 per-tensor weights, MinMax.</summary>
    public static QuantizerOptions QopU8S8TensorOptions { get; } = new()
    {
        Format = QuantFormat.QOperator,
        ActivationType = DataType.UInt8,
        WeightType = DataType.Int8,
        PerChannel = false,
        Calibration = CalibrationMethod.MinMax,
    };

    /// <summary>quantize_static's options for the QDQ form: int8 activations, int8 per-channel weights, MinMax.</summary>
    public static QuantizerOptions QdqS8S8ChannelOptions { get; } = new()
    {
        Format = QuantFormat.Qdq,
        ActivationType = DataType.Int8,
        WeightType = DataType.Int8,
        PerChannel = true,
        Calibration = CalibrationMethod.MinMax,
    };

    private static readonly Lazy<Dictionary<string, TensorValue>> s_parameters = new(() => Draw(ModelSeed), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> s_fp32 = new();
    private static readonly ConcurrentDictionary<int, Lazy<(ModelGraph Fp32, IReadOnlyDictionary<string, TensorRange> Ranges)>> s_calibrated = new();
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> s_qdq = new();
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> s_qop = new();

    /// <summary>The fp32 model (seed <see cref="ModelSeed"/>) for <paramref name="size"/> x <paramref name="size"/> images; built once per size.</summary>
    public static byte[] Fp32(int size = ImageSize) => Cached(s_fp32, size, s => Assemble(s, s_parameters.Value));

    /// <summary>The QDQ s8s8 per-channel form of <see cref="Fp32"/>, calibrated at <paramref name="size"/>; built once per size.</summary>
    public static byte[] QdqS8S8Channel(int size = ImageSize) => Cached(s_qdq, size, s => Quantized(s, QdqS8S8ChannelOptions));

    /// <summary>
    /// The QOperator u8s8 per-tensor form of <see cref="Fp32"/> (QLinearConv, QLinearAdd, QGemm, ...), calibrated at
    /// <paramref name="size"/> on the same images as <see cref="QdqS8S8Channel"/>; built once per size.
    /// </summary>
    public static byte[] QopU8S8Tensor(int size = ImageSize) => Cached(s_qop, size, s => Quantized(s, QopU8S8TensorOptions));

    /// <summary>A seeded batch of standard-normal images [batch, 3, size, size], as normalised images would be.</summary>
    public static TensorValue Input(int size = ImageSize, int batch = 1, int seed = InputSeed)
    {
        CheckSize(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return new SeededTensors(seed).Normal(1f, batch, 3, size, size);
    }

    /// <summary>The calibration feeds: <see cref="CalibrationImages"/> batches of one standard-normal image each.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> Calibration(int size = ImageSize)
    {
        CheckSize(size);
        var rand = new SeededTensors(CalibrationSeed);
        return [.. Enumerable.Range(0, CalibrationImages).Select(_ => (IReadOnlyDictionary<string, TensorValue>)new Dictionary<string, TensorValue>(StringComparer.Ordinal)
        {
            [InputName] = rand.Normal(1f, 1, 3, size, size),
        })];
    }

    /// <summary>
    /// Writes the QDQ model (or, with <paramref name="qop"/>, the QOperator u8s8 per-tensor one) as an ONNX test case into <paramref name="folder"/>: <c>model.onnx</c> and
    /// <c>test_data_set_0/input_0.pb</c> (<see cref="Input"/>, batch 1) with <c>output_0.pb</c>, ONNX Runtime's
    /// logits (<see cref="OrtOracle"/>: CPU provider, all optimisations, one thread). Returns the expected logits.
    /// </summary>
    public static TensorValue WriteTestCase(string folder, int size = ImageSize, bool qop = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        byte[] model = qop ? QopU8S8Tensor(size) : QdqS8S8Channel(size);
        TensorValue input = Input(size);
        var expected = OrtOracle.Run(model, [(InputName, input)]);
        string data = Path.Combine(folder, "test_data_set_0");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model);
        File.WriteAllBytes(Path.Combine(data, "input_0.pb"), TensorProtos.ToProto(InputName, input).ToByteArray());
        for (int k = 0; k < expected.Count; k++)
        {
            File.WriteAllBytes(Path.Combine(data, $"output_{k}.pb"), TensorProtos.ToProto(expected[k].Name, expected[k].Value).ToByteArray());
        }

        return expected[0].Value;
    }

    /// <summary>Builds the fp32 model for <paramref name="size"/> x <paramref name="size"/> images from <paramref name="seed"/> (uncached: draws every weight afresh).</summary>
    public static byte[] Build(int size, int seed)
    {
        CheckSize(size);
        return Assemble(size, Draw(seed));
    }

    /// <summary>The convs in forward order (torchvision's BasicBlock.forward: conv1, conv2, then the downsample).</summary>
    private static List<ConvLayer> MakeConvs()
    {
        var convs = new List<ConvLayer> { new("/conv1", "conv1", 3, 64, 7, 2) };
        int channels = 64;
        for (int stage = 0; stage < StageChannels.Count; stage++)
        {
            int outChannels = StageChannels[stage];
            for (int block = 0; block < 2; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                string scope = $"/layer{stage + 1}/layer{stage + 1}.{block}";
                string param = $"layer{stage + 1}.{block}";
                convs.Add(new($"{scope}/conv1", $"{param}.conv1", channels, outChannels, 3, stride));
                convs.Add(new($"{scope}/conv2", $"{param}.conv2", outChannels, outChannels, 3, 1));
                if (stride != 1 || channels != outChannels)
                {
                    convs.Add(new($"{scope}/downsample/downsample.0", $"{param}.downsample.0", channels, outChannels, 1, stride));
                }

                channels = outChannels;
            }
        }

        return convs;
    }

    /// <summary>Every parameter by name, drawn from <paramref name="seed"/> in forward order: each conv's weight then bias, then fc.weight, fc.bias.</summary>
    private static Dictionary<string, TensorValue> Draw(int seed)
    {
        var random = new SeededTensors(seed);
        var parameters = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (ConvLayer conv in Convs)
        {
            parameters[$"{conv.Parameter}.weight"] = random.ConvWeight(conv.OutChannels, conv.InChannels, conv.Kernel);
            parameters[$"{conv.Parameter}.bias"] = random.Normal(0.1f, conv.OutChannels);
        }

        int features = StageChannels[^1];
        parameters["fc.weight"] = random.Normal(MathF.Sqrt(1f / features), Classes, features);
        parameters["fc.bias"] = random.Normal(0.1f, Classes);
        return parameters;
    }

    private static byte[] Assemble(int size, IReadOnlyDictionary<string, TensorValue> parameters)
    {
        var b = new OnnxBuilder(opset: 17).Input(InputName, DataType.Float, null, 3, size, size);
        b.Model.Graph.Name = "resnet18";
        var net = new Net(b, parameters, Convs.ToDictionary(c => c.Scope, StringComparer.Ordinal));
        string x = net.Relu(net.Conv(InputName, "/conv1"), "/relu");
        x = net.Node("MaxPool", "/maxpool/MaxPool", [x],
            ("ceil_mode", 0L), ("dilations", new long[] { 1, 1 }), ("kernel_shape", new long[] { 3, 3 }),
            ("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 2, 2 }));
        for (int stage = 1; stage <= StageChannels.Count; stage++)
        {
            for (int block = 0; block < 2; block++)
            {
                // torchvision's BasicBlock.forward: conv1, relu, conv2, downsample (if any), Add, relu.
                string p = $"/layer{stage}/layer{stage}.{block}";
                string y = net.Conv(net.Relu(net.Conv(x, $"{p}/conv1"), $"{p}/relu"), $"{p}/conv2");
                string identity = net.HasConv($"{p}/downsample/downsample.0") ? net.Conv(x, $"{p}/downsample/downsample.0") : x;
                x = net.Relu(net.Node("Add", $"{p}/Add", [y, identity]), $"{p}/relu_1");
            }
        }

        x = net.Node("GlobalAveragePool", "/avgpool/GlobalAveragePool", [x]);
        x = net.Node("Flatten", "/Flatten", [x], ("axis", 1L));
        b.Initializer("fc.weight", parameters["fc.weight"]).Initializer("fc.bias", parameters["fc.bias"]);
        b.Node("Gemm", [x, "fc.weight", "fc.bias"], [OutputName], name: "/fc/Gemm", attributes:
            [("alpha", 1f), ("beta", 1f), ("transB", 1L)]);
        b.Output(OutputName, DataType.Float);

        // [N, 1000], as the exporter declares it with a dynamic batch axis.
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = Classes });
        b.Model.Graph.Output[0].Type.TensorType.Shape = shape;
        return b.ToBytes();
    }

    /// <summary>
    /// Quantizes with the MinMax ranges of <see cref="Calibration"/>, computed once per size: both forms calibrate the
    /// same tensors (every float input and output of a quantizable op) on the same images, so quantize_static would
    /// find the same ranges for each.
    /// </summary>
    private static byte[] Quantized(int size, QuantizerOptions options)
    {
        var (fp32, ranges) = s_calibrated.GetOrAdd(size, s => new(() =>
        {
            ModelGraph graph = OnnxModelReader.Read(new MemoryStream(Fp32(s)));
            return (graph, StaticQuantizer.Calibrate(graph, Calibration(s), QdqS8S8ChannelOptions));
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        return OnnxModelWriter.ToBytes(StaticQuantizer.Quantize(fp32, ranges, options));
    }

    private static byte[] Cached(ConcurrentDictionary<int, Lazy<byte[]>> cache, int size, Func<int, byte[]> build)
    {
        CheckSize(size);
        return cache.GetOrAdd(size, s => new Lazy<byte[]>(() => build(s), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static void CheckSize(int size)
    {
        if (size <= 0 || size % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "ResNet-18 takes square images whose side is a positive multiple of 32 (its total stride)");
        }
    }

    /// <summary>Adds nodes named as the exporter names them; outputs are <c>{node name}_output_0</c>.</summary>
    private sealed class Net(OnnxBuilder builder, IReadOnlyDictionary<string, TensorValue> parameters, Dictionary<string, ConvLayer> convs)
    {
        public bool HasConv(string scope) => convs.ContainsKey(scope);

        /// <summary>The conv of <paramref name="scope"/> with its folded-BatchNorm bias, pad kernel / 2 on every side.</summary>
        public string Conv(string x, string scope)
        {
            ConvLayer conv = convs[scope];
            string w = $"{conv.Parameter}.weight", bias = $"{conv.Parameter}.bias";
            builder.Initializer(w, parameters[w]).Initializer(bias, parameters[bias]);
            int pad = conv.Kernel / 2;
            return Node("Conv", $"{scope}/Conv", [x, w, bias],
                ("dilations", new long[] { 1, 1 }), ("group", 1L), ("kernel_shape", new long[] { conv.Kernel, conv.Kernel }),
                ("pads", new long[] { pad, pad, pad, pad }), ("strides", new long[] { conv.Stride, conv.Stride }));
        }

        public string Relu(string x, string scope) => Node("Relu", $"{scope}/Relu", [x]);

        public string Node(string op, string name, string[] inputs, params (string Name, object Value)[] attributes)
        {
            string output = $"{name}_output_0";
            builder.Node(op, inputs, [output], name: name, attributes: attributes);
            return output;
        }
    }
}
