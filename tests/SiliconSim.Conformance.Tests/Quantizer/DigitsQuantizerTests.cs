using SiliconSim.Graph.IO;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>
/// ONNX Runtime's quantizer is the oracle: quantizing the digits fp32 models with the options and the 128 calibration
/// images ORT's files were made with must give ORT's quantized models: the same nodes (names, ops, wiring) and every
/// initializer (scales, zero points, weights, int32 biases) bit for bit. all 12 cases (MinMax, Percentile, Entropy).
/// </summary>
public sealed class DigitsQuantizerTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[] { "cnn", "mlp" })
        {
            foreach (string variant in new[] { "qdq_u8s8_tensor", "qdq_s8s8_channel", "qop_u8s8_tensor", "qop_s8s8_channel", "qdq_s8s8_channel_percentile", "qdq_s8s8_channel_entropy" })
            {
                data.Add(model, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quantize_DigitsFp32_ReproducesOrtQuantizedModel(string model, string variant)
    {
        ModelGraph fp32 = Load($"digits_{model}_fp32");
        ModelGraph expected = Load($"digits_{model}_{variant}");
        ModelGraph actual = StaticQuantizer.Quantize(fp32, [Calibration.Value], OptionsFor(variant));

        var expectedNodes = expected.Nodes.Select(Describe).Order(StringComparer.Ordinal).ToList();
        var actualNodes = actual.Nodes.Select(Describe).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedNodes, actualNodes);

        Assert.Equal(expected.Initializers.Keys.Order(StringComparer.Ordinal), actual.Initializers.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, e) in expected.Initializers)
        {
            TensorValue a = actual.Initializers[name];
            Assert.True(e.Type == a.Type, $"{name}: {a} vs ORT's {e}");
            Assert.True(e.Shape.SequenceEqual(a.Shape), $"{name}: shape {a.ShapeText} vs ORT's {e.ShapeText}");
            byte[] eb = TensorProtos.ToRaw(e), ab = TensorProtos.ToRaw(a);
            int first = Enumerable.Range(0, eb.Length).FirstOrDefault(i => eb[i] != ab[i], -1);
            Assert.True(first < 0, $"{name}: byte {first} differs ({ab[Math.Max(0, first)]} vs ORT's {eb[Math.Max(0, first)]})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quantize_DigitsFp32_OpTypesInOrderMatchOrt(string model, string variant)
    {
        ModelGraph fp32 = Load($"digits_{model}_fp32");
        ModelGraph expected = Load($"digits_{model}_{variant}");
        ModelGraph actual = StaticQuantizer.Quantize(fp32, [Calibration.Value], OptionsFor(variant));

        // Both graphs written and read back, so both are in the reader's stable topological order.
        ModelGraph roundTripped = OnnxModelReader.Read(new MemoryStream(OnnxModelWriter.ToBytes(actual)));
        Assert.Equal(expected.Nodes.Select(n => n.OpType), roundTripped.Nodes.Select(n => n.OpType));
        Assert.Equal("onnx.quantize", roundTripped.ProducerName);
    }

    internal static QuantizerOptions OptionsFor(string variant) => variant switch
    {
        "qdq_u8s8_tensor" => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.UInt8, WeightType = DataType.Int8 },
        "qdq_s8s8_channel" => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true },
        "qop_u8s8_tensor" => new QuantizerOptions { Format = QuantFormat.QOperator, ActivationType = DataType.UInt8, WeightType = DataType.Int8 },
        "qop_s8s8_channel" => new QuantizerOptions { Format = QuantFormat.QOperator, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true },
        "qdq_s8s8_channel_percentile" => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true, Calibration = CalibrationMethod.Percentile },
        "qdq_s8s8_channel_entropy" => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true, Calibration = CalibrationMethod.Entropy },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    internal static readonly Lazy<IReadOnlyDictionary<string, TensorValue>> Calibration = new(() =>
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, "digits_calib_x.npy"));
        return new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["input"] = NpyReader.Read(s) };
    });

    internal static ModelGraph Load(string caseName)
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, caseName, "model.onnx"));
        return OnnxModelReader.Read(s);
    }

    private static string Describe(Node n) =>
        $"{n.Name}: {n.NormalizedDomain}.{n.OpType}({string.Join(", ", n.Inputs)}) -> ({string.Join(", ", n.Outputs)}) {{{string.Join(", ", n.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.Int}/{a.Value.Float}/{string.Join(' ', a.Value.Ints)}"))}}}";
}
