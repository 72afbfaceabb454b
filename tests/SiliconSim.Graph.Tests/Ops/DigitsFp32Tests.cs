using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>
/// The fp32 digits CNN at ORT_ENABLE_EXTENDED, where no NCHWc rewrite happens: MLAS's NCHW conv paths, reproduced bit for
/// bit. (The goldens at ORT_ENABLE_ALL are checked in the conformance suite.)
/// </summary>
public sealed class DigitsFp32Tests
{
    [Fact]
    public void DigitsCnnFp32_MatchesOrtExtendedBitExactly()
    {
        string dir = Path.Combine(SharedData.Digits, "digits_cnn_fp32");
        byte[] bytes = File.ReadAllBytes(Path.Combine(dir, "model.onnx"));
        TensorValue x = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"))));
        var model = OnnxModelReader.Read(new MemoryStream(bytes));
        string input = model.RuntimeInputs.First().Name;
        TensorValue ort = OrtOracle.Run(bytes, [(input, x)], GraphOptimizationLevel.ORT_ENABLE_EXTENDED)[0].Value;

        var lowered = OrtCpuLowering.Lower(model, OrtOptimizationLevel.Extended);
        Assert.DoesNotContain(lowered.Nodes, n => n.OpType.StartsWith("Nchwc", StringComparison.Ordinal));
        TensorValue actual = GraphExecutor.Run(lowered, new Dictionary<string, TensorValue> { [input] = x })[0].Value;
        Assert.Equal(TensorProtos.ToRaw(ort), TensorProtos.ToRaw(actual));
    }
}
