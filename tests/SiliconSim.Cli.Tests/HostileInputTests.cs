using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// Issue 13's file- and argument-side cases, each built here in test code (symbolic links, FIFOs, device paths, deep
/// YAML, huge ranges): one exact error line, exit code 2, never an internal error, within a time bound that guards
/// against the hangs these inputs caused.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class HostileInputTests
{
    // Generous beside the milliseconds these take, far below the hangs and out-of-memory runs they were.
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(2);
    private static readonly string s_mlp = Path.Combine(SharedData.Digits, "digits_mlp_fp32", "model.onnx");
    private static readonly string s_calib = Path.Combine(SharedData.Digits, "digits_calib_x.npy");
    private static readonly string s_test = Path.Combine(SharedData.Digits, "digits_test_x.npy");
    private static readonly string s_labels = Path.Combine(SharedData.Digits, "digits_test_y.npy");
    private static readonly string s_qdq = Path.Combine(SharedData.Digits, "digits_mlp_qdq_u8s8_tensor", "model.onnx");

    [Theory]
    [InlineData("file")]
    [InlineData("directory")]
    public void ExternalData_SymlinkLeavingTheFolder_IsRefused(string kind)
    {
        using var dir = new TempFolder();
        string location = kind == "file" ? "link" : "etc/passwd";
        File.CreateSymbolicLink(Path.Combine(dir.Path, kind == "file" ? "link" : "etc"), kind == "file" ? "/etc/passwd" : "/etc");
        string model = dir.File("model.onnx", ModelWithExternal(location));

        // --trace-node printed the linked file's bytes before.
        var (exit, stdout, err) = CliRunner.Run("validate", dir.Path, "--trace-node", "w");
        Assert.True(exit == 2, stdout + err);
        Assert.Contains($"tensor 'w': external data '{location}' resolves to /etc/passwd, outside the folder {RealDir(dir)} it must stay in (symbolic links are followed)", stdout + err, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", stdout + err, StringComparison.Ordinal);

        var inspect = Timed("inspect", model);
        Assert.Equal(2, inspect.Exit);
        Assert.Equal($"siliconsim: error: {model}: tensor 'w': external data '{location}' resolves to /etc/passwd, outside the folder {RealDir(dir)} it must stay in (symbolic links are followed)", Single(inspect.Err));
    }

    [Fact]
    public void ExternalData_InATensorFile_SymlinkIsRefused()
    {
        using var dir = new TempFolder();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link"), "/etc/passwd");
        var proto = External("x", "link", [1, 1, 8, 8]);
        string input = dir.File("x.pb", proto.ToByteArray());

        var (exit, err) = Timed("run", "--model", s_mlp, "--input", input, "--out", Path.Combine(dir.Path, "out"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {input}: tensor 'x': external data 'link' resolves to /etc/passwd, outside the folder {RealDir(dir)} it must stay in (symbolic links are followed)", Single(err));
    }

    [Fact]
    public void ExternalData_Fifo_IsRefusedWithoutBlocking()
    {
        using var dir = new TempFolder();
        MakeFifo(Path.Combine(dir.Path, "pipe"));
        string model = dir.File("model.onnx", ModelWithExternal("pipe"));

        var (exit, err) = Timed("inspect", model);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {model}: tensor 'w': external data 'pipe' is a FIFO (named pipe), not a regular file", Single(err));
    }

    [Fact]
    public void ExternalData_OffsetNear2To63_IsRefused()
    {
        using var dir = new TempFolder();
        dir.File("data.bin", new byte[64]);
        string model = dir.File("model.onnx", ModelWithExternal("data.bin", offset: long.MaxValue - 4));

        var (exit, err) = Timed("inspect", model);
        Assert.Equal(2, exit);
        // The importer refuses a range past the largest file offset before any file is opened.
        Assert.Equal($"siliconsim: error: {model}: tensor 'w': external data range [9223372036854775803, +8) ends past the largest file offset", Single(err));
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void ConfigBase_FifoOrDevice_IsRefused(string target)
    {
        using var dir = new TempFolder();
        string base_ = target;
        string expected = $"{target} is a character device, not a regular file";
        if (target == "fifo")
        {
            MakeFifo(Path.Combine(dir.Path, "fifo.yaml"));
            base_ = "fifo.yaml";
            expected = $"{Path.Combine(dir.Path, "fifo.yaml")} is a FIFO (named pipe), not a regular file";
        }

        string config = dir.File("c.yaml", System.Text.Encoding.UTF8.GetBytes($"base: {base_}\n"));
        var (exit, err) = Timed("run", "--config", config, "--out", Path.Combine(dir.Path, "out"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {config}:1:1: base: {expected}", err.Split('\n')[0].TrimEnd('\r'));
    }

    [Fact]
    public void Config_ThatIsAFifo_IsRefused()
    {
        using var dir = new TempFolder();
        string config = Path.Combine(dir.Path, "c.yaml");
        MakeFifo(config);
        var (exit, err) = Timed("run", "--config", config);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {config}:1:1: is a FIFO (named pipe), not a regular file", Single(err));
    }

    [Fact]
    public void Npy_Of2Point4GB_IsRefusedBeforeReading()
    {
        using var dir = new TempFolder();
        string npy = Path.Combine(dir.Path, "big.npy");
        using (var f = new FileStream(npy, FileMode.Create))
        {
            f.Write(Npy("<f4", "(600000000,)"));
            f.SetLength(2_400_000_128); // sparse: no bytes written
        }

        var (exit, err) = Timed("quantize", "--model", s_mlp, "--calib", npy, "--out", Path.Combine(dir.Path, "q.onnx"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {npy}: is 2,400,000,128 bytes; the limit for this file is 2,147,483,647 bytes", Single(err));
    }

    [Fact]
    public void Npy_ShapeAboveTheDataCap_IsRefusedBeforeAllocating()
    {
        using var dir = new TempFolder();
        string npy = dir.File("big.npy", Npy("<f4", "(400000000,)"));
        var (exit, err) = Timed("quantize", "--model", s_mlp, "--calib", npy, "--out", Path.Combine(dir.Path, "q.onnx"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {npy}: .npy shape (400000000,) of '<f4' needs 1600000000 bytes of data, more than the 1073741824-byte limit for one array", Single(err));
    }

    [Fact]
    public void Yaml_Nested100kDeep_IsALocatedError_InConfigsAndSweeps()
    {
        using var dir = new TempFolder();
        string deep = "array: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        string config = dir.File("deep.yaml", System.Text.Encoding.UTF8.GetBytes(deep));
        var (exit, err) = Timed("run", "--config", config);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {config}:1:71: the YAML nests deeper than 64 levels (a config needs a handful)", Single(err));

        string sweep = dir.File("deep-sweep.yaml", System.Text.Encoding.UTF8.GetBytes(deep.Replace("array", "axes", StringComparison.Ordinal)));
        var s = Timed("sweep", sweep, "--out", Path.Combine(dir.Path, "s"));
        Assert.Equal(2, s.Exit);
        Assert.Equal($"siliconsim: error: {sweep}:1:70: the YAML nests deeper than 64 levels (a config needs a handful)", Single(s.Err));
    }

    [Theory]
    [InlineData("1e12", null, "--thermal-seconds: 1e12 s at thermal.control_period_ms 10 is 1e14 control steps, more than the 1,000,000 allowed; lower --thermal-seconds or raise thermal.control_period_ms")]
    [InlineData("600", "thermal.control_period_ms=1e-9", "--thermal-seconds: 600 s at thermal.control_period_ms 1E-09 is 6e14 control steps, more than the 1,000,000 allowed; lower --thermal-seconds or raise thermal.control_period_ms")]
    [InlineData("nan", null, "--thermal-seconds: must be a finite number of seconds >= 0 (0 turns the thermal model off), got NaN")]
    [InlineData("-1", null, "--thermal-seconds: must be a finite number of seconds >= 0 (0 turns the thermal model off), got -1")]
    public void ThermalSeconds_OutOfBounds_IsAnInputError(string seconds, string? set, string message)
    {
        using var dir = new TempFolder();
        string[] extra = set is null ? [] : ["--set", set];
        var (exit, err) = Timed(["run", "--model", s_qdq, "--thermal-seconds", seconds, "--out", Path.Combine(dir.Path, "o"), .. extra]);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {message}", Single(err));
    }

    [Theory]
    [InlineData("clock_mhz: {start: 1, stop: 2, step: 1e-300}", "the range has 1e300 values, more than max_points 10000; set max_points to allow more")]
    [InlineData("clock_mhz: {start: 1, stop: 2, factor: 1.0000000001}", "the range has 6,931,471,233 values, more than max_points 10000; set max_points to allow more")]
    [InlineData("clock_mhz: {start: 1, stop: 2, count: 10000000}", "the range has 10,000,000 values, more than max_points 10000; set max_points to allow more")]
    public void SweepRange_TooManyPoints_IsRefusedBeforeExpansion(string axis, string message)
    {
        using var dir = new TempFolder();
        string spec = Sweep(dir, axis);
        var (exit, err) = Timed("sweep", spec, "--out", Path.Combine(dir.Path, "s"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {spec}:4:14: clock_mhz: {message}", Single(err));
    }

    [Fact]
    public void SweepGrid_TooManyPoints_NamesTheCount_AndMaxPointsAllowsMore()
    {
        using var dir = new TempFolder();
        string spec = Sweep(dir, "clock_mhz: {start: 100, stop: 1000, count: 200}\n  thermal.ambient_c: {start: 0, stop: 80, count: 100}");
        var (exit, err) = Timed("sweep", spec, "--out", Path.Combine(dir.Path, "s"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {spec}:4:3: axes: the sweep expands to 20,000 points (grid of 200 x 100 over 1 model(s)), more than max_points 10000; set max_points to allow more", Single(err));
    }

    [Theory]
    [InlineData("memory.buffers[-1].capacity_kib")]
    [InlineData("memory.buffers[100000000000000000000].capacity_kib")]
    public void SweepAxis_MalformedIndex_IsRefusedAsSetRefusesIt(string path)
    {
        using var dir = new TempFolder();
        string spec = Sweep(dir, $"{path}: [16, 32]");
        var (exit, err) = Timed("sweep", spec, "--out", Path.Combine(dir.Path, "s"));
        Assert.Equal(2, exit);
        string problem = $"'{path}' is not a config path: keys joined by dots, a list item as name[0] (e.g. memory.buffers[0].capacity_kib)";
        Assert.Equal($"siliconsim: error: {spec}:4:3: {problem}", Single(err));

        var set = Timed("run", "--model", s_qdq, "--set", $"{path}=16", "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, set.Exit);
        Assert.Contains(problem.Replace($"'{path}'", $"'{path}' in '{path}=16'", StringComparison.Ordinal), set.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_InProcOrAnExistingFile_IsRefusedBeforeAnyWork()
    {
        using var dir = new TempFolder();
        var proc = Timed("run", "--model", s_qdq, "--out", "/proc/x");
        Assert.Equal(2, proc.Exit);
        Assert.StartsWith("siliconsim: error: --out: cannot create the folder /proc/x (", Single(proc.Err), StringComparison.Ordinal);

        string file = dir.File("taken", [1]);
        var taken = Timed("run", "--model", s_qdq, "--out", file);
        Assert.Equal(2, taken.Exit);
        Assert.Equal($"siliconsim: error: --out: {file} is a file, not a folder", Single(taken.Err));

        var sweep = Timed("sweep", Sweep(dir, "clock_mhz: [500]"), "--out", file);
        Assert.Equal(2, sweep.Exit);
        Assert.Equal($"siliconsim: error: --out: {file} is a file, not a folder", Single(sweep.Err));
    }

    [Fact]
    public void Batch_OfAHundredMillion_IsAnInputError()
    {
        using var dir = new TempFolder();
        var (exit, err) = Timed("run", "--model", s_qdq, "--batch", "100000000", "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: --batch: 100000000 makes input 'input' of {s_qdq} ([batch,1,8,8]) 6.4e9 elements, more than 2^31-1; use a smaller batch", Single(err));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("empty")]
    public void Quantize_NaNOrEmptyCalibration_IsAnInputError(string kind)
    {
        using var dir = new TempFolder();
        TensorValue x = kind == "nan" ? TensorValue.FromFloats([1, 1, 8, 8], [float.NaN, .. new float[63]]) : TensorValue.FromFloats([0, 1, 8, 8], []);
        string calib = dir.File("calib.pb", TensorProtos.ToProto("x", x).ToByteArray());
        var (exit, err) = Timed("quantize", "--model", s_mlp, "--calib", calib, "--out", Path.Combine(dir.Path, "q.onnx"));
        Assert.Equal(2, exit);
        string problem = kind == "nan" ? "calibration data holds NaN at element 0; every value must be finite" : "calibration data is empty (shape [0,1,8,8]); give at least one sample";
        Assert.Equal($"siliconsim: error: {calib}: {problem}", Single(err));
    }

    [Theory]
    [InlineData("name, M, N, K,\n", "2:1: the topology has a header but no layer rows", 1)]
    [InlineData("name, M, N, K,\ng, 2000000000, 64, 64,\n", "2:4: field 'M' is 2000000000, more than 1048576 (2^20), the largest dimension a topology row may give", 2)]
    public void Topology_HeaderOnlyOrHugeDims_IsAnInputError(string csv, string problem, int line)
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv", System.Text.Encoding.UTF8.GetBytes(csv));
        var (exit, err) = Timed("run", "--topology", path, "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {path}:{(line == 1 ? problem.Replace("2:1", "1:1", StringComparison.Ordinal) : problem)}", Single(err));
    }

    [Fact]
    public void Compare_AnAlreadyQuantizedModel_IsRefused()
    {
        using var dir = new TempFolder();
        string fake = dir.File("model.onnx", File.ReadAllBytes(s_qdq));
        var (exit, err) = Timed("compare", "--model", fake, "--calib", s_calib, "--test", s_test, "--labels", s_labels, "--out", Path.Combine(dir.Path, "c"));
        Assert.Equal(2, exit);
        Assert.StartsWith($"siliconsim: error: {fake}: not a float32 model: it is already quantized (node '", Single(err), StringComparison.Ordinal);
    }

    private static (int Exit, string Err) Timed(params string[] args)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        var (exit, _, err) = CliRunner.Run(args);
        clock.Stop();
        Assert.True(clock.Elapsed < s_bound, $"{string.Join(' ', args)} took {clock.Elapsed.TotalSeconds:F2} s");
        Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < 500L << 20, $"{string.Join(' ', args)} allocated over 500 MB");
        Assert.DoesNotContain("internal error", err, StringComparison.Ordinal);
        return (exit, err);
    }

    private static string Single(string err) => Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');

    private static string RealDir(TempFolder dir) => Config.Files.InputFiles.RealPath(dir.Path);

    private static string Sweep(TempFolder dir, string axes) =>
        dir.File($"sweep-{Guid.NewGuid():N}.yaml", System.Text.Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: [{s_qdq}]\naxes:\n  {axes}\nthermal_seconds: 0\n"));

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static TensorProto External(string name, string location, long[] dims, long offset = 0)
    {
        var proto = new TensorProto { DataType = (int)DataType.Float, Name = name, DataLocation = TensorProto.Types.DataLocation.External };
        proto.Dims.AddRange(dims);
        proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (dims.Aggregate(1L, (a, b) => a * b) * 4).ToString(CultureInfo.InvariantCulture) });
        return proto;
    }

    private static byte[] ModelWithExternal(string location, long offset = 0)
    {
        var builder = new OnnxBuilder().Input("x", DataType.Float, 2).Output("y", DataType.Float).Node("Add", ["x", "w"], ["y"], name: "add");
        builder.Model.Graph.Initializer.Add(External("w", location, [2], offset));
        return builder.ToBytes();
    }

    private static byte[] Npy(string descr, string shape)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(((header.Length + 11) / 64 * 64) + 63 - 10) + "\n";
        byte[] h = System.Text.Encoding.ASCII.GetBytes(header);
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)(h.Length & 0xFF), (byte)(h.Length >> 8), .. h];
    }
}
