using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The generator of workloads/zoo/transformer_encoder_&lt;form&gt;/ (ONNX test-case layout: model.onnx,
/// test_data_set_0/input_0.pb and output_0.pb, the output from ONNX Runtime at level ALL). Normally it checks that the
/// shipped files are what the generator makes and that SiliconSim reproduces the shipped output bit for bit; with
/// SILICONSIM_WRITE_ZOO=1 in the environment it rewrites the folders first.
/// </summary>
public sealed class TransformerEncoderWorkloadTests
{
    public const int Batch = 3;
    public const int Seq = 12;
    public const int InputSeed = 4242;

    public static TheoryData<string> Forms() => [.. TransformerEncoderForms.All];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Workload_IsWhatTheGeneratorMakes_AndRunsBitExact(string form)
    {
        string folder = Path.Combine(Repository.Root, "workloads", "zoo", $"transformer_encoder_{form}");
        byte[] model = TransformerEncoderForms.Build(form).ToByteArray();
        TensorValue x = TransformerEncoderBuilder.Input(Batch, Seq, InputSeed);
        TensorValue expected = OrtOracle.Run(model, [(TransformerEncoderBuilder.InputName, x)])[0].Value;
        string data = Path.Combine(folder, "test_data_set_0");
        if (Environment.GetEnvironmentVariable("SILICONSIM_WRITE_ZOO") == "1")
        {
            Directory.CreateDirectory(data);
            File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model);
            File.WriteAllBytes(Path.Combine(data, "input_0.pb"), TensorProtos.ToProto(TransformerEncoderBuilder.InputName, x).ToByteArray());
            File.WriteAllBytes(Path.Combine(data, "output_0.pb"), TensorProtos.ToProto(TransformerEncoderBuilder.OutputName, expected).ToByteArray());
        }

        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")), $"{folder} is missing; run this test with SILICONSIM_WRITE_ZOO=1");
        Assert.True(model.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, "model.onnx"))), $"{form}: the shipped model.onnx is not what the generator makes");
        var testCase = OnnxTestCase.Load(folder);
        TransformerEncoderTests.AssertSameBits(testCase.Inputs[0], x, $"{form} input");
        TransformerEncoderTests.AssertSameBits(testCase.Expected[0], expected, $"{form} shipped output vs ORT now");
        TransformerEncoderTests.AssertSameBits(testCase.Run()[0], expected, $"{form} SiliconSim vs ORT");
    }

}
