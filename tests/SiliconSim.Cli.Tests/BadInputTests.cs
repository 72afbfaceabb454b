using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

/// <summary>Bad input always gives one clear line naming the file and the problem, and a non-zero exit; never a trace.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void TruncatedModel_IsAnErrorNamingTheFile()
    {
        using var dir = new TempFolder();
        byte[] model = File.ReadAllBytes(Path.Combine(SharedData.Digits, "digits_mlp_qdq_u8s8_tensor", "model.onnx"));
        string path = dir.File("case/model.onnx", model[..(model.Length / 2)]);
        WriteDataSet(dir, "case", TensorValue.FromFloats([1, 1, 8, 8], new float[64]), TensorValue.FromFloats([1, 10], new float[10]));

        var (exit, stdout, stderr) = CliRunner.Run("validate", Path.Combine(dir.Path, "case"));
        Assert.Equal(1, exit);
        string line = ErrorLine(stdout);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("not a valid ONNX model", line, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed", stdout, StringComparison.Ordinal);
        AssertNoTrace(stdout + stderr);

        var inspect = CliRunner.Run("inspect", path);
        Assert.Equal(2, inspect.Exit);
        Assert.Single(Lines(inspect.Err));
        Assert.Contains(path, inspect.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DimensionProductAbove2To31_IsAnError()
    {
        var builder = new OnnxBuilder().Input("x", DataType.UInt8, 1).Output("y", DataType.UInt8).Node("Identity", ["x"], ["y"]);
        var huge = new TensorProto { Name = "huge", DataType = (int)DataType.UInt8 };
        huge.Dims.AddRange([50000, 50000]);
        builder.Model.Graph.Initializer.Add(huge);
        using var dir = new TempFolder();
        string path = dir.File("m/model.onnx", builder.ToBytes());

        var (exit, _, stderr) = CliRunner.Run("inspect", path);
        Assert.Equal(2, exit);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("huge", stderr, StringComparison.Ordinal);
        Assert.Contains("2^31", stderr, StringComparison.Ordinal);
        AssertNoTrace(stderr);
    }

    [Fact]
    public void UnknownOp_IsAnErrorNamingOpAndNode_AndValidateGoesOn()
    {
        using var dir = new TempFolder();
        byte[] model = new OnnxBuilder().Input("x", DataType.Float, 2).Node("FrobnicateLinear", ["x"], ["y"], name: "frob_node").Output("y", DataType.Float).ToBytes();
        dir.File("a_unknown/model.onnx", model);
        WriteDataSet(dir, "a_unknown", TensorValue.FromFloats([2], [1, 2]), TensorValue.FromFloats([2], [1, 2]));
        byte[] identity = new OnnxBuilder().Input("x", DataType.Float, 2).Node("Constant", [], ["y"], attributes: ("value", TensorValue.FromFloats([2], [5, 6]))).Output("y", DataType.Float).ToBytes();
        dir.File("b_ok/model.onnx", identity);
        WriteDataSet(dir, "b_ok", TensorValue.FromFloats([2], [1, 2]), TensorValue.FromFloats([2], [5, 6]));

        var (exit, stdout, stderr) = CliRunner.Run("validate", dir.Path);
        Assert.Equal(1, exit);
        string line = ErrorLine(stdout);
        Assert.Contains("unsupported op 'FrobnicateLinear'", line, StringComparison.Ordinal);
        Assert.Contains("'frob_node'", line, StringComparison.Ordinal);
        Assert.Contains("PASS  b_ok", stdout, StringComparison.Ordinal);
        Assert.Contains("1 passed, 1 failed", stdout, StringComparison.Ordinal);
        AssertNoTrace(stdout + stderr);
    }

    [Fact]
    public void MissingTestDataFile_IsAnErrorNamingTheFolder()
    {
        using var dir = new TempFolder();
        dir.File("c/model.onnx", new OnnxBuilder().Input("x", DataType.Float, 2).Node("Constant", [], ["y"], attributes: ("value", TensorValue.FromFloats([2], [5, 6]))).Output("y", DataType.Float).ToBytes());
        dir.File("c/test_data_set_0/input_0.pb", TensorProtos.ToProto("x", TensorValue.FromFloats([2], [1, 2])).ToByteArray());

        var (exit, stdout, _) = CliRunner.Run("validate", Path.Combine(dir.Path, "c"));
        Assert.Equal(1, exit);
        string line = ErrorLine(stdout);
        Assert.Contains("test_data_set_0", line, StringComparison.Ordinal);
        Assert.Contains("output_N.pb", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalDataOutsideTheModelFolder_IsRefused()
    {
        using var dir = new TempFolder();
        dir.File("secret.bin", new byte[8]);
        var builder = new OnnxBuilder().Input("x", DataType.Float, 2).Node("Identity", ["w"], ["y"]).Output("y", DataType.Float);
        var w = new TensorProto { Name = "w", DataType = (int)DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.Add(2);
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../secret.bin" });
        builder.Model.Graph.Initializer.Add(w);
        string path = dir.File("m/model.onnx", builder.ToBytes());

        var (exit, _, stderr) = CliRunner.Run("inspect", path);
        Assert.Equal(2, exit);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("'../secret.bin' leaves the model's folder", stderr, StringComparison.Ordinal);
        AssertNoTrace(stderr);
    }

    [Fact]
    public void NpyWithUnsupportedDtype_IsAnErrorNamingTheFile()
    {
        using var dir = new TempFolder();
        byte[] header = System.Text.Encoding.ASCII.GetBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }".PadRight(117) + "\n");
        string labels = dir.File("labels.npy", [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. header, .. new byte[16]]);

        var (exit, stdout, stderr) = CliRunner.Run("validate", Path.Combine(SharedData.Digits, "digits_mlp_qop_u8s8_tensor"), "--labels", labels);
        Assert.Equal(2, exit);
        Assert.Single(Lines(stderr));
        Assert.Contains(labels, stderr, StringComparison.Ordinal);
        Assert.Contains("'<c8' is not supported", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("passed", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("validate", "--no-such-flag", "x")]
    [InlineData("frobnicate")]
    public void BadArguments_ExitWith2AndAUsageHint(params string[] args)
    {
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains("siliconsim: error:", stderr, StringComparison.Ordinal);
        AssertNoTrace(stderr);
    }

    [Fact]
    public void MissingPath_IsAnErrorNamingIt()
    {
        var (exit, _, stderr) = CliRunner.Run("validate", "/no/such/folder");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/folder: no such folder", stderr, StringComparison.Ordinal);
    }

    private static void WriteDataSet(TempFolder dir, string caseName, TensorValue input, TensorValue output)
    {
        dir.File($"{caseName}/test_data_set_0/input_0.pb", TensorProtos.ToProto("x", input).ToByteArray());
        dir.File($"{caseName}/test_data_set_0/output_0.pb", TensorProtos.ToProto("y", output).ToByteArray());
    }

    private static string ErrorLine(string stdout) => Assert.Single(Lines(stdout), l => l.StartsWith("ERROR", StringComparison.Ordinal));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
