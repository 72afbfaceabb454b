using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Tests;

/// <summary>`validate --trace-node` compares a node's intermediate tensor with ONNX Runtime's, dumped by OrtTensorDump.</summary>
public sealed class TraceTests
{
    private const string ConvNode = "/f/f.2/Conv";

    // The lowered QLinearConv keeps the Conv's node name and the output name of the Q that closed its unit.
    private const string ConvOutput = "/f/f.3/Relu_output_0_QuantizeLinear_Output";

    private static string Case => Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");

    [Fact]
    public void TraceNode_DigitsConvAgainstOrtIntermediate_ReportsZeroMismatches()
    {
        using var dir = new TempFolder();
        var files = OrtTensorDump.Dump(Case, dir.Path, [ConvOutput]);
        Assert.Single(files);

        var (exit, stdout, stderr) = CliRunner.Run("validate", Case, "--trace-node", ConvNode, "--trace-expect", dir.Path);

        Assert.True(exit == 0, stdout + stderr);
        string line = TraceLine(stdout, ConvOutput);
        Assert.Contains("(QLinearConv) uint8[360,32,8,8]", line, StringComparison.Ordinal);
        Assert.Contains("elements 737280  mismatches 0  max_abs_diff 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceNode_PerturbedExpectedTensor_ReportsFirstMismatchWithBothValues()
    {
        using var dir = new TempFolder();
        string file = OrtTensorDump.Dump(Case, dir.Path, [ConvOutput])[0];
        var proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(file));
        TensorValue ort = TensorProtos.FromProto(proto);
        byte[] codes = ort.Items<byte>().ToArray();
        // Element 5000 of [360,32,8,8] is [2,14,1,0]; a later one is changed too, so "first" is tested.
        byte original = codes[5000];
        codes[5000] = (byte)(original ^ 0x10);
        codes[9000] ^= 0x01;
        File.WriteAllBytes(file, TensorProtos.ToProto(proto.Name, TensorValue.Create(DataType.UInt8, [.. ort.Shape], codes)).ToByteArray());

        var (exit, stdout, _) = CliRunner.Run("validate", Case, "--trace-node", ConvOutput, "--trace-expect", dir.Path);

        Assert.Equal(1, exit);
        string line = TraceLine(stdout, ConvOutput);
        Assert.Contains("mismatches 2  max_abs_diff 16", line, StringComparison.Ordinal);
        Assert.Contains($"first mismatch at 5000 [2,14,1,0]: siliconsim {original}, onnxruntime {codes[5000]}", line, StringComparison.Ordinal);
        Assert.Contains("1 traced tensors differ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceNode_UnknownName_IsBadInputNamingIt()
    {
        var (exit, _, stderr) = CliRunner.Run("validate", Case, "--trace-node", "/no/such/Conv");

        Assert.Equal(2, exit);
        Assert.Contains("'/no/such/Conv': the model has no node or tensor of that name", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceNode_TensorFusedAway_SaysWhatToTraceInstead()
    {
        // The float Conv output inside the DQ→Conv→Q unit does not exist once the unit runs as QLinearConv.
        var (exit, stdout, _) = CliRunner.Run("validate", Case, "--trace-node", "/f/f.3/Relu_output_0");

        Assert.Equal(0, exit);
        Assert.Contains($"tensor '/f/f.3/Relu_output_0' no longer exists after lowering", stdout, StringComparison.Ordinal);
        Assert.Contains($"node '{ConvNode}' (QLinearConv); trace '{ConvOutput}' instead", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceNode_WithoutExpectations_PrintsTheTensorSummary()
    {
        var (exit, stdout, _) = CliRunner.Run("validate", Case, "--trace-node", ConvNode);

        Assert.Equal(0, exit);
        string line = TraceLine(stdout, ConvOutput);
        Assert.Matches(@"uint8\[360,32,8,8\]: min \d+  max \d+  first \[\d+, \d+, ", line);
    }

    [Fact]
    public void Trace_SeveralCases_IsBadInput()
    {
        var (exit, _, stderr) = CliRunner.Run("validate", SharedData.Digits, "--trace-all");

        Assert.Equal(2, exit);
        Assert.Contains("tracing needs exactly one test case", stderr, StringComparison.Ordinal);
    }

    private static string TraceLine(string stdout, string tensor) =>
        stdout.Split('\n').FirstOrDefault(l => l.StartsWith($"  '{tensor}' from ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no trace line for '{tensor}' in:\n{stdout}");
}
