using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Benchmarks;

/// <summary>
/// The digits CNN on the whole 360-image test batch, through ONNX Runtime (the baseline, one intra-op thread, all
/// optimisations) and through SiliconSim's functional executor in the same process. BenchmarkDotNet's Ratio column is
/// SiliconSim's time over ORT's; the target is at most 3.
/// </summary>
[MemoryDiagnoser]
public class DigitsCnnBenchmark
{
    private InferenceSession _ort = null!;
    private List<NamedOnnxValue> _ortInputs = null!;
    private ModelGraph _lowered = null!;
    private Dictionary<string, TensorValue> _inputs = null!;

    [Params("digits_cnn_qdq_u8s8_tensor", "digits_cnn_qop_s8s8_channel", "digits_cnn_fp32")]
    public string Case { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        string folder = Path.Combine(Workloads.Digits, Case);
        byte[] model = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        TensorValue input = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "test_data_set_0", "input_0.pb"))));

        _ort = new InferenceSession(model, new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        string inputName = _ort.InputMetadata.Keys.First();
        _ortInputs = [NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(input.Items<float>(), [.. input.Shape]))];

        _lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        _inputs = new Dictionary<string, TensorValue> { [inputName] = input };
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public float OnnxRuntime()
    {
        using var results = _ort.Run(_ortInputs);
        return results[0].AsTensor<float>()[0, 0];
    }

    [Benchmark(Description = "SiliconSim")]
    public float SiliconSim() => GraphExecutor.Run(_lowered, _inputs)[0].Value.Items<float>()[0];

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();
}
