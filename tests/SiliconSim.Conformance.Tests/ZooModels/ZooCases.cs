using System.Collections.Concurrent;
using Google.Protobuf;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The zoo test models in their three forms: fp32 as built, QDQ int8 x int8 per channel and QOperator uint8 x int8
/// per tensor, quantized by <see cref="StaticQuantizer"/> (MinMax) on a seeded random calibration set. Cached: each
/// model and form is built once per test run.
/// </summary>
internal static class ZooCases
{
    public const int ModelSeed = 17;
    public const int CalibrationSeed = 1234;
    public const int InputSeed = 99;

    private static readonly ConcurrentDictionary<(string, string), byte[]> s_models = new();

    public static IReadOnlyList<string> Forms { get; } = ["fp32", "qdq_s8s8_channel", "qop_u8s8_tensor"];

    public static IEnumerable<(string Model, string Form)> All() =>
        from m in TestSupport.Models.ZooModels.All from f in Forms select (m.Name, f);

    public static byte[] Model(string model, string form) => s_models.GetOrAdd((model, form), key => Build(key.Item1, key.Item2));

    /// <summary>Four calibration batches of 4 images, standard normal values (as normalised images would be).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> Calibration(int channels, int size)
    {
        var rand = new SeededTensors(CalibrationSeed);
        return Enumerable.Range(0, 4)
            .Select(_ => (IReadOnlyDictionary<string, TensorValue>)new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["input"] = rand.Normal(1f, 4, channels, size, size) })
            .ToList();
    }

    /// <summary>The test input: a batch of 4 normal images from another seed than the calibration set.</summary>
    public static TensorValue Input(string model)
    {
        var spec = Spec(model);
        return new SeededTensors(InputSeed).Normal(1f, 4, spec.Channels, spec.Size, spec.Size);
    }

    public static QuantizerOptions Options(string form) => form switch
    {
        "qdq_s8s8_channel" => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true },
        "qop_u8s8_tensor" => new QuantizerOptions { Format = QuantFormat.QOperator, ActivationType = DataType.UInt8, WeightType = DataType.Int8 },
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    /// <summary>Writes the case in the ONNX test-case layout with ORT's outputs as the expected data.</summary>
    public static void Write(string folder, string model, string form)
    {
        byte[] bytes = Model(model, form);
        TensorValue input = Input(model);
        var expected = OrtOracle.Run(bytes, [("input", input)]);
        string data = Path.Combine(folder, "test_data_set_0");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), bytes);
        File.WriteAllBytes(Path.Combine(data, "input_0.pb"), TensorProtos.ToProto("input", input).ToByteArray());
        for (int k = 0; k < expected.Count; k++)
        {
            File.WriteAllBytes(Path.Combine(data, $"output_{k}.pb"), TensorProtos.ToProto(expected[k].Name, expected[k].Value).ToByteArray());
        }
    }

    private static (string Name, Func<int, byte[]> Build, int Channels, int Size) Spec(string model) =>
        TestSupport.Models.ZooModels.All.Single(m => m.Name == model);

    private static byte[] Build(string model, string form)
    {
        var spec = Spec(model);
        byte[] fp32 = spec.Build(ModelSeed);
        if (form == "fp32")
        {
            return fp32;
        }

        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(fp32));
        ModelGraph quantized = StaticQuantizer.Quantize(graph, Calibration(spec.Channels, spec.Size), Options(form));
        return OnnxModelWriter.ToBytes(quantized);
    }
}
