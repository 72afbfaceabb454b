using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Tests;

/// <summary>`siliconsim compare`: accuracies equal what ONNX Runtime's goldens give; bad inputs exit 2 with one exact line.</summary>
public sealed class CompareCommandTests
{
    private static readonly string s_calib = Path.Combine(SharedData.Digits, "digits_calib_x.npy");
    private static readonly string s_test = Path.Combine(SharedData.Digits, "digits_test_x.npy");
    private static readonly string s_labels = Path.Combine(SharedData.Digits, "digits_test_y.npy");

    private static string Model(string net) => Path.Combine(SharedData.Digits, $"digits_{net}_fp32", "model.onnx");

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    public void Compare_Digits_AccuraciesEqualOrtGoldens(string net)
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run(["compare", "--model", Model(net), "--calib", s_calib, "--test", s_test, "--labels", s_labels, "--formats", "fp32,int8", "--out", dir.Path]);
        Assert.True(exit == 0, stderr);
        string[] lines = File.ReadAllLines(Path.Combine(dir.Path, "compare.csv"));
        Assert.StartsWith("format,config,top1_accuracy,agreement_with_fp32,energy_per_inference_j,latency_s,edp,", lines[0], StringComparison.Ordinal);
        string[] fp32 = lines[1].Split(','), int8 = lines[2].Split(',');

        // Oracles: ONNX Runtime's outputs for the fp32 model and for its quantize_static u8s8 model (the default recipe).
        int[] labels = Ints(ModelFiles.LoadTensor(s_labels));
        Assert.Equal(Accuracy(Golden($"digits_{net}_fp32"), labels), double.Parse(fp32[2], CultureInfo.InvariantCulture), 5);
        Assert.Equal(Accuracy(Golden($"digits_{net}_qdq_u8s8_tensor"), labels), double.Parse(int8[2], CultureInfo.InvariantCulture), 5);
        Assert.True(double.Parse(int8[4], CultureInfo.InvariantCulture) > 0);
        double energy = double.Parse(int8[4], CultureInfo.InvariantCulture), latency = double.Parse(int8[5], CultureInfo.InvariantCulture);
        Assert.Equal(energy * latency, double.Parse(int8[6], CultureInfo.InvariantCulture), 1e-3 * energy * latency);
    }

    [Theory]
    [InlineData("--formats", "fp32,bf3", "siliconsim: error: --formats: unknown format 'bf3'; expected fp32, int8, fp8, mxfp4, nvfp4")]
    [InlineData("--labels", "short", "siliconsim: error: {short}: holds 3 labels, but the test set has 360 samples")]
    [InlineData("--calib", "labels", "siliconsim: error: {labels}: calibration data is int64[360], but model input 'input' is float32[?,1,8,8]")]
    [InlineData("--config", "int8=tpu-v1,fp8=edge-npu", "siliconsim: error: --config: format 'fp8' is not among --formats (fp32,int8)")]
    public void Compare_BadInput_ExitsTwoWithMessage(string option, string value, string message)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--model"] = Model("mlp"),
            ["--calib"] = s_calib,
            ["--test"] = s_test,
            ["--labels"] = s_labels,
            ["--formats"] = "fp32,int8",
        };
        using var dir = new TempFolder();
        string shortLabels = Path.Combine(dir.Path, "short.npy");
        WriteInt64Npy(shortLabels, [1, 2, 3]);
        args[option] = value switch { "short" => shortLabels, "labels" => s_labels, _ => value };
        var (exit, _, stderr) = CliRunner.Run(["compare", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--out", dir.Path]);
        Assert.Equal(2, exit);
        Assert.Equal(message.Replace("{calib}", s_calib, StringComparison.Ordinal).Replace("{labels}", s_labels, StringComparison.Ordinal).Replace("{short}", shortLabels, StringComparison.Ordinal), stderr.Trim());
    }

    [Fact]
    public void Compare_LowPrecision_RunsOnTheArraysOwnMacs()
    {
        using var dir = new TempFolder();
        var (exit, stdout, stderr) = CliRunner.Run(["compare", "--model", Model("mlp"), "--calib", s_calib, "--test", s_test, "--labels", s_labels,
            "--formats", "fp32,int8,mxfp4,nvfp4", "--config", "edge-npu-mx", "--out", dir.Path]);
        Assert.True(exit == 0, stderr);
        Dictionary<string, string[]> rows = File.ReadAllLines(Path.Combine(dir.Path, "compare.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0], StringComparer.Ordinal);
        Assert.Equal(["fp32", "int8", "mxfp4", "nvfp4"], rows.Keys);
        string[] header = File.ReadLines(Path.Combine(dir.Path, "compare.csv")).First().Split(',');
        double Get(string format, string column) => double.Parse(rows[format][Array.IndexOf(header, column)], CultureInfo.InvariantCulture);

        // Same MACs on the same chip: the MAC energy ratio is the energy table's fp4 x fp4 over uint8 x int8 entry
        // (0.0655 / 0.225 pJ, configs/energy/horowitz-45nm.yaml): the array's MAC type follows the format.
        Assert.Equal(Get("int8", "macs"), Get("mxfp4", "macs"));
        Assert.Equal(0.0655 / 0.225, Get("mxfp4", "mac_j") / Get("int8", "mac_j"), 5); // compare.csv keeps 6 significant digits
        Assert.InRange(Get("mxfp4", "energy_vs_int8") / (Get("mxfp4", "energy_per_inference_j") / Get("int8", "energy_per_inference_j")), 0.9999, 1.0001);

        // The MLP's DRAM traffic is its weights once, the fp32 input and the fp32 logits (activations stay on chip
        // between layers). Its Gemms are 64x128, 128x64 and 64x10 (K x N): MXFP4 codes at 4 bits (4,096 + 4,096 + 320
        // B), one E8M0 byte per 32 along K (256 + 256 + 20 B), fp32 biases (512 + 256 + 40 B), the 64-float input (256
        // B) and the 10 logits (40 B written); every tensor moves in whole 64 B bursts, so 20 -> 64 and 40 -> 64.
        long mxBytes = 4_096 + 4_096 + 320 + 256 + 256 + 64 + 512 + 256 + 64 + 256 + 64;
        Assert.Equal(mxBytes, Get("mxfp4", "dram_bytes"));
        foreach (string f in new[] { "mxfp4", "nvfp4" })
        {
            Assert.InRange(Get(f, "top1_accuracy"), 0.9, 1.0);
        }

        Assert.Contains("mxfp4", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "formats.png")));
        string html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        Assert.Contains("<td>nvfp4</td>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        // A test case's generic model.onnx is named by its folder, as `run` names the folder.
        Assert.Contains("<h1>digits_mlp_fp32: numeric formats compared</h1>", html, StringComparison.Ordinal);

        // The formats run side by side on all cores; one thread gives the same table, bit for bit.
        using var single = new TempFolder();
        var (exit1, _, stderr1) = CliRunner.Run(["compare", "--model", Model("mlp"), "--calib", s_calib, "--test", s_test, "--labels", s_labels,
            "--formats", "fp32,int8,mxfp4,nvfp4", "--config", "edge-npu-mx", "--threads", "1", "--out", single.Path]);
        Assert.True(exit1 == 0, stderr1);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "compare.csv")), File.ReadAllText(Path.Combine(single.Path, "compare.csv")));
    }

    [Fact]
    public void Compare_FormatTheArrayLacks_ExitsTwoNamingTheField()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run(["compare", "--model", Model("mlp"), "--calib", s_calib, "--test", s_test, "--labels", s_labels,
            "--formats", "fp32,mxfp4", "--config", "edge-npu", "--out", dir.Path]);
        Assert.Equal(2, exit);
        Assert.Matches(@"^siliconsim: error: --config: .*edge-npu\.yaml:\d+:\d+: array\.operand_types: format mxfp4 needs float4e2m1 MACs, but the array lists only \[uint8, int8\]", stderr.Trim());
    }

    /// <summary>A 1-D little-endian int64 .npy (format 1.0: magic, header length, dict header padded to 64 bytes).</summary>
    /// <summary>An int64 .npy of <paramref name="values"/>, 1-D or of <paramref name="shape"/>.</summary>
    internal static void WriteInt64Npy(string path, long[] values, int[]? shape = null)
    {
        string dims = shape is null ? $"{values.Length}," : string.Join(", ", shape);
        string header = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({dims}), }}";
        header = header.PadRight(64 - 10 - 1) + "\n";
        using var w = new BinaryWriter(File.Create(path));
        w.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        w.Write((ushort)header.Length);
        w.Write(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (long v in values)
        {
            w.Write(v);
        }
    }

    private static TensorValue Golden(string caseName) => ModelFiles.LoadTensor(Path.Combine(SharedData.Digits, caseName, "test_data_set_0", "output_0.pb"));

    private static int[] Ints(TensorValue t) => [.. Enumerable.Range(0, t.Shape[0]).Select(i => (int)TensorComparison.ToDouble(t, i))];

    private static double Accuracy(TensorValue logits, int[] labels)
    {
        int classes = logits.Shape[1], correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                best = TensorComparison.ToDouble(logits, (r * classes) + c) > TensorComparison.ToDouble(logits, (r * classes) + best) ? c : best;
            }

            correct += best == labels[r] ? 1 : 0;
        }

        return correct / (double)labels.Length;
    }
}
