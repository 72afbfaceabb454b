using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>The fp32 digits models through the float handlers against ORT's goldens (logits of 360 images).</summary>
public sealed class DigitsFp32Tests
{
    private readonly ITestOutputHelper _out;

    public DigitsFp32Tests(ITestOutputHelper output) => _out = output;

    // The goldens come from ORT_ENABLE_ALL, where the CNN's constant-weight convs run as com.microsoft.nchwc Conv.
    [Theory]
    [InlineData("digits_mlp_fp32")]
    [InlineData("digits_cnn_fp32")]
    public void DigitsFp32_MatchesGoldenLogits(string name)
    {
        string dir = Path.GetFullPath(Path.Combine(NodeCase.Root, "..", "digits", name));
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
        _out.WriteLine(string.Join(" ", model.Graph.Node.Select(n => n.OpType)));
        TensorValue x = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"))));
        TensorValue expected = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "output_0.pb"))));
        var values = MiniRunner.Run(model, new Dictionary<string, TensorValue> { [model.Graph.Input[0].Name] = x }, nchwcConvs: true);
        TensorValue actual = values[model.Graph.Output[0].Name];
        float[] e = expected.Items<float>();
        float[] a = actual.Items<float>();
        int bad = 0;
        double maxDiff = 0;
        for (int i = 0; i < e.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]))
            {
                bad++;
                maxDiff = Math.Max(maxDiff, Math.Abs(e[i] - a[i]));
            }
        }

        _out.WriteLine($"{name}: {bad}/{e.Length} logits differ in bits, max |diff| {maxDiff:G3}");
        Assert.Equal(0, bad);
    }

    /// <summary>
    /// At ORT_ENABLE_EXTENDED (no NCHWc rewrite) the CNN runs MLAS's NCHW conv, which the float handlers reproduce
    /// bit for bit; the goldens were made at ORT_ENABLE_ALL, where constant-weight convs become NchwcConv.
    /// </summary>
    [Fact]
    public void DigitsCnnFp32_MatchesOrtExtendedBitExactly()
    {
        string dir = Path.GetFullPath(Path.Combine(NodeCase.Root, "..", "digits", "digits_cnn_fp32"));
        byte[] bytes = File.ReadAllBytes(Path.Combine(dir, "model.onnx"));
        ModelProto model = ModelProto.Parser.ParseFrom(bytes);
        TensorValue x = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"))));
        TensorValue ort = OrtOracle.Run(bytes, [(model.Graph.Input[0].Name, x)], GraphOptimizationLevel.ORT_ENABLE_EXTENDED)[0].Value;
        var values = MiniRunner.Run(model, new Dictionary<string, TensorValue> { [model.Graph.Input[0].Name] = x });
        TensorValue actual = values[model.Graph.Output[0].Name];
        Assert.Equal(TensorProtos.ToRaw(ort), TensorProtos.ToRaw(actual));
    }
}
