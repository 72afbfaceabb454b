using System.Globalization;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `validate --config`: the golden cases through the hardware model. Reference numerics keep every quantized digits case
/// bit-exact; non-reference numerics report drift whose numbers equal an independent run's <see cref="DriftReport"/>;
/// a model the array cannot run is the case's error at the config's YAML line.
/// </summary>
public sealed class ValidateConfigTests
{
    private const string FixedPointAcc24 = "base: edge-npu\narray:\n  requantizer: fixed_point\n  accumulator_bits: 24\n  overflow: saturate\n";

    private static IEnumerable<string> QuantizedDigits() =>
        Directory.GetDirectories(SharedData.Digits).Where(d => !d.EndsWith("_fp32", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    [Fact]
    public void ReferenceConfig_EveryQuantizedDigitsCasePassesBitExactly_WithCycles()
    {
        string[] cases = [.. QuantizedDigits()];
        var (exit, stdout, stderr) = CliRunner.Run(["validate", "--config", "edge-npu", .. cases]);
        Assert.True(exit == 0, stdout + stderr);
        var lines = CaseLines(stdout);
        Assert.Equal(cases.Length, lines.Count);
        Assert.All(lines, l => Assert.StartsWith("PASS ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("mismatches 0/", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(Cycles(l) > 0, l));
        Assert.Contains($"{cases.Length} passed, 0 failed", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digits_cnn_qop_u8s8_tensor")]
    [InlineData("digits_mlp_qdq_s8s8_channel")]
    public void FixedPointAcc24_ReportsDrift_EqualToAnIndependentRunsDriftReport(string caseName)
    {
        using var dir = new TempFolder();
        string config = dir.File("fp24.yaml", System.Text.Encoding.UTF8.GetBytes(FixedPointAcc24));
        string folder = Path.Combine(SharedData.Digits, caseName);
        string labels = Path.Combine(SharedData.Digits, "digits_test_y.npy");

        var (exit, stdout, stderr) = CliRunner.Run("validate", "--config", config, "--labels", labels, folder);

        // The same hardware semantics, stated here rather than read from the config: 24-bit saturating accumulator,
        // TFLite-style fixed-point requantizer rounding half away from zero.
        var numerics = new MatrixNumerics
        {
            AccumulatorBits = 24,
            Overflow = AccumulatorOverflow.Saturate,
            Requantizer = RequantizerArithmetic.FixedPoint,
            FixedPointRounding = ShiftRounding.NearestAwayFromZero,
        };
        ModelGraph model;
        using (var s = File.OpenRead(Path.Combine(folder, "model.onnx")))
        {
            model = OnnxModelReader.Read(s);
        }

        TensorValue Read(string file) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "test_data_set_0", file))));
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [model.RuntimeInputs.First().Name] = Read("input_0.pb") };
        var actual = GraphExecutor.Run(OrtCpuLowering.Lower(model), feeds, options: new ExecutionOptions { MatrixNumerics = numerics });
        int[] labelValues;
        using (var s = File.OpenRead(labels))
        {
            TensorValue t = NpyReader.Read(s);
            labelValues = [.. Enumerable.Range(0, t.Length).Select(i => (int)TensorComparison.ToDouble(t, i))];
        }

        OutputDrift d = Assert.Single(DriftReport.Compare(actual, [Read("output_0.pb")], labelValues).Outputs);
        Assert.True(d.Mismatches > 0, "the numerics should drift on this case; otherwise the test proves nothing");

        Assert.True(exit == 0, stdout + stderr);
        string line = Assert.Single(CaseLines(stdout));
        Assert.StartsWith("DRIFT ", line, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"mismatches {d.Mismatches}/{d.Elements}"), line, StringComparison.Ordinal);
        Assert.Contains("max_abs_diff " + d.MaxAbsDiff.ToString("G6", CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.Contains($"top1 agree {d.Top1AgreeWithGolden}/{d.Rows}", line, StringComparison.Ordinal);
        double accuracy = (double)d.Top1CorrectActual!.Value / d.Rows, golden = (double)d.Top1CorrectGolden!.Value / d.Rows;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:P2} (golden {golden:P2})"), line, StringComparison.Ordinal);
        Assert.True(Cycles(line) > 0, line);
        Assert.Contains("0 passed, 1 drifted, 0 failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OperandTypesWithoutUint8_IsTheCasesErrorAtTheYamlLine()
    {
        using var dir = new TempFolder();
        string config = dir.File("int8only.yaml", System.Text.Encoding.UTF8.GetBytes("base: edge-npu\narray:\n  operand_types: [int8]\n"));

        var (exit, stdout, _) = CliRunner.Run("validate", "--config", config, Path.Combine(SharedData.Digits, "digits_mlp_qop_u8s8_tensor"));

        Assert.Equal(1, exit);
        string line = Assert.Single(CaseLines(stdout));
        Assert.StartsWith("ERROR ", line, StringComparison.Ordinal);
        Assert.Contains($"{config}:3:", line, StringComparison.Ordinal);
        Assert.Contains("array.operand_types", line, StringComparison.Ordinal);
        Assert.Contains("uint8", line, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidConfig_IsBadInputNamingTheFile()
    {
        using var dir = new TempFolder();
        string config = dir.File("bad.yaml", System.Text.Encoding.UTF8.GetBytes("base: edge-npu\narray:\n  accumulator_bits: 1\n"));

        var (exit, _, stderr) = CliRunner.Run("validate", "--config", config, Path.Combine(SharedData.Digits, "digits_mlp_qop_u8s8_tensor"));

        Assert.Equal(2, exit);
        Assert.Contains(config, stderr, StringComparison.Ordinal);
        Assert.Contains("accumulator_bits", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NonReferenceNumerics_SaysDrift()
    {
        using var dir = new TempFolder();
        string config = dir.File("fp24.yaml", System.Text.Encoding.UTF8.GetBytes(FixedPointAcc24));

        var (exit, stdout, stderr) = CliRunner.Run("run", "--config", config, "--model", Path.Combine(SharedData.Digits, "digits_cnn_qop_u8s8_tensor"), "--out", Path.Combine(dir.Path, "out"));

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("drift under the array's numerics", stdout, StringComparison.Ordinal);
    }

    private static List<string> CaseLines(string stdout) =>
        [.. stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("PASS ", StringComparison.Ordinal) || l.StartsWith("FAIL ", StringComparison.Ordinal) || l.StartsWith("DRIFT ", StringComparison.Ordinal) || l.StartsWith("ERROR ", StringComparison.Ordinal))];

    private static long Cycles(string line)
    {
        int at = line.IndexOf("cycles ", StringComparison.Ordinal);
        Assert.True(at >= 0, line);
        string digits = new([.. line[(at + 7)..].TakeWhile(char.IsAsciiDigit)]);
        return long.Parse(digits, CultureInfo.InvariantCulture);
    }
}
