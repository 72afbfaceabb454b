using Google.Protobuf;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Tests;

/// <summary>`siliconsim quantize`: the written model is what the quantizer library gives; every bad input is one exact
/// error line with exit code 2 and no file written.</summary>
public sealed class QuantizeCommandTests
{
    private static readonly string s_mlp = Path.Combine(SharedData.Digits, "digits_mlp_fp32", "model.onnx");
    private static readonly string s_calib = Path.Combine(SharedData.Digits, "digits_calib_x.npy");

    [Theory]
    [InlineData(new string[0], "qdq_u8s8_tensor")]
    [InlineData(new[] { "--per-channel" }, "qdq_s8s8_channel")]
    [InlineData(new[] { "--per-channel", "--qop" }, "qop_s8s8_channel")]
    [InlineData(new[] { "--per-channel", "--calibration", "percentile" }, "qdq_s8s8_channel_percentile")]
    public void Quantize_DigitsMlp_WritesOrtsQuantizedModel(string[] extra, string ortCase)
    {
        using var dir = new TempFolder();
        string output = Path.Combine(dir.Path, "q.onnx");
        var (exit, stdout, stderr) = CliRunner.Run(["quantize", "--model", s_mlp, "--calib", s_calib, "--format", "int8", "--out", output, .. extra]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("128 samples", stdout, StringComparison.Ordinal);

        // ORT's own quantized file (made by quantize_static with these options) is the oracle for every initializer.
        ModelGraph written = Read(output);
        ModelGraph ort = Read(Path.Combine(SharedData.Digits, $"digits_mlp_{ortCase}", "model.onnx"));
        Assert.Equal(ort.Nodes.Select(n => n.OpType).Order(StringComparer.Ordinal), written.Nodes.Select(n => n.OpType).Order(StringComparer.Ordinal));
        Assert.Equal(ort.Initializers.Keys.Order(StringComparer.Ordinal), written.Initializers.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, e) in ort.Initializers)
        {
            Assert.True(TensorProtos.ToRaw(e).SequenceEqual(TensorProtos.ToRaw(written.Initializers[name])), $"{ortCase}: initializer {name} differs from ORT's");
        }
    }

    [Theory]
    [InlineData("fp8", DataType.Float8E4M3FN, 0)]
    [InlineData("mxfp4", DataType.Float4E2M1, 32)]
    [InlineData("nvfp4", DataType.Float4E2M1, 16)]
    public void Quantize_LowPrecision_WritesOpset23WeightDequantizers(string format, DataType weightType, int blockSize)
    {
        using var dir = new TempFolder();
        string output = Path.Combine(dir.Path, "q.onnx");
        var (exit, _, stderr) = CliRunner.Run("quantize", "--model", s_mlp, "--calib", s_calib, "--format", format, "--out", output);
        Assert.True(exit == 0, stderr);
        ModelGraph written = Read(output);
        Assert.Equal(23, written.Opsets[string.Empty]);
        int gemms = written.Nodes.Count(n => n.OpType == "Gemm");
        var dqs = written.Nodes.Where(n => n.OpType == "DequantizeLinear" && written.Initializers.ContainsKey(n.Inputs[0]) && n.Inputs[0].EndsWith("weight_quantized", StringComparison.Ordinal)).ToList();
        Assert.Equal(gemms, dqs.Count);
        Assert.All(dqs, dq =>
        {
            Assert.Equal(weightType, written.Initializers[dq.Inputs[0]].Type);
            Assert.Equal(DataType.Float, written.Initializers[dq.Inputs[1]].Type);
            Assert.Equal(blockSize, dq.Attributes.TryGetValue("block_size", out var b) ? (int)b.Int : 0);
        });

        var quantizers = written.Nodes.Where(n => n.OpType == "QuantizeLinear").ToList();
        float amax = ModelFiles.LoadTensor(s_calib).Items<float>().Max(Math.Abs);
        if (format != "fp8")
        {
            Assert.Empty(quantizers);
            var nvfp4 = written.Nodes.Where(n => n.OpType == "TRT_FP4DynamicQuantize").ToList();
            if (format == "mxfp4")
            {
                // MX has no tensor scale: its block scales follow each block's values and the hardware converts them.
                Assert.Empty(nvfp4);
                return;
            }

            // NVFP4 activations as TensorRT's dynamic block quantizer with a calibrated tensor scale, one per Gemm input:
            // the first Gemm reads the images, whose amax maps to E4M3's 448 times E2M1's 6.
            Assert.Equal(1, written.Opsets["trt"]);
            Assert.Equal(gemms, nvfp4.Count);
            Assert.All(nvfp4, q => Assert.Equal("trt", q.Domain));
            Assert.Contains(nvfp4, q => written.Initializers[q.Inputs[1]].Items<float>()[0] == amax / 2688f);
            return;
        }

        // fp8 activations per tensor from calibration: the first Gemm reads the images, whose calibrated amax maps to
        // E4M3FN's 448.
        Assert.Equal(gemms, quantizers.Count);
        Assert.All(quantizers, q => Assert.Equal(DataType.Float8E4M3FN, written.Initializers[q.Inputs[2]].Type));
        Assert.Contains(quantizers, q => written.Initializers[q.Inputs[1]].Items<float>()[0] == amax / 448f);
    }

    [Fact]
    public void Quantize_QopWithLowPrecision_IsAnError()
    {
        using var dir = new TempFolder();
        AssertError(["--model", s_mlp, "--calib", s_calib, "--format", "nvfp4", "--qop"], "--qop: applies to --format int8 only; nvfp4 weights are always per channel or per block", dir);
    }

    [Fact]
    public void Quantize_CalibrationShapeMismatch_NamesFileInputAndBothShapes()
    {
        using var dir = new TempFolder();
        string calib = dir.File("calib.pb", TensorProtos.ToProto("x", TensorValue.FromFloats([4, 64], new float[256])).ToByteArray());
        AssertError(["--model", s_mlp, "--calib", calib], $"{calib}: calibration data has shape [4,64], but model input 'input' has shape [?,1,8,8]", dir);
    }

    [Fact]
    public void Quantize_IntegerCalibrationData_IsAnError()
    {
        using var dir = new TempFolder();
        string labels = Path.Combine(SharedData.Digits, "digits_test_y.npy");
        AssertError(["--model", s_mlp, "--calib", labels], $"{labels}: calibration data is int64[360], but model input 'input' is float32[?,1,8,8]", dir);
    }

    [Fact]
    public void Quantize_AlreadyQuantizedModel_IsAnError()
    {
        using var dir = new TempFolder();
        string model = Path.Combine(SharedData.Digits, "digits_mlp_qdq_u8s8_tensor", "model.onnx");
        string firstQdq = Read(model).Nodes.First(n => n.OpType is "QuantizeLinear" or "DequantizeLinear") is var n ? $"'{n.Name}' is {n.OpType}" : "";
        AssertError(["--model", model, "--calib", s_calib], $"{model}: not a float32 model: it is already quantized (node {firstQdq})", dir);
    }

    [Fact]
    public void Quantize_IntegerInputModel_IsAnError()
    {
        using var dir = new TempFolder();
        string model = dir.File("int.onnx", new OnnxBuilder().Input("x", DataType.Int8, 4).Node("Identity", ["x"], ["y"]).Output("y", DataType.Int8).ToBytes());
        AssertError(["--model", model, "--calib", s_calib], $"{model}: not a float32 model: input 'x' is int8", dir);
    }

    [Fact]
    public void Quantize_UnknownFormat_IsAnError()
    {
        using var dir = new TempFolder();
        AssertError(["--model", s_mlp, "--calib", s_calib, "--format", "int3"], "--format: unknown format 'int3'; expected int8, fp8, mxfp4, nvfp4", dir);
    }

    [Fact]
    public void Quantize_UnknownCalibrationMethod_IsAnError()
    {
        using var dir = new TempFolder();
        AssertError(["--model", s_mlp, "--calib", s_calib, "--calibration", "kl"], "--calibration: unknown calibration method 'kl'; expected minmax, percentile or entropy", dir);
    }

    [Fact]
    public void Quantize_MissingModelFile_IsAnError()
    {
        using var dir = new TempFolder();
        string missing = Path.Combine(dir.Path, "absent.onnx");
        AssertError(["--model", missing, "--calib", s_calib], $"{missing}: file not found", dir);
    }

    [Fact]
    public void Quantize_UnreadableCalibrationFile_IsAnError()
    {
        using var dir = new TempFolder();
        string calib = dir.File("junk.npy", "not numpy"u8.ToArray());
        var (exit, _, stderr) = Run(["--model", s_mlp, "--calib", calib], dir);
        Assert.Equal(2, exit);
        Assert.StartsWith($"siliconsim: error: {calib}: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Quantize_TruncatedModel_IsAnError()
    {
        using var dir = new TempFolder();
        byte[] bytes = File.ReadAllBytes(s_mlp);
        string model = dir.File("cut.onnx", bytes[..(bytes.Length / 2)]);
        var (exit, _, stderr) = Run(["--model", model, "--calib", s_calib], dir);
        Assert.Equal(2, exit);
        Assert.StartsWith($"siliconsim: error: {model}: not a valid ONNX model", stderr, StringComparison.Ordinal);
    }

    private static void AssertError(string[] args, string message, TempFolder dir)
    {
        var (exit, stdout, stderr) = Run(args, dir);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {message}{Environment.NewLine}", stderr);
        Assert.Empty(stdout);
        Assert.False(File.Exists(Path.Combine(dir.Path, "out.onnx")));
    }

    private static (int Exit, string Out, string Err) Run(string[] args, TempFolder dir) =>
        CliRunner.Run(["quantize", .. args, "--out", Path.Combine(dir.Path, "out.onnx")]);

    private static ModelGraph Read(string path)
    {
        using var s = File.OpenRead(path);
        return OnnxModelReader.Read(s);
    }
}
