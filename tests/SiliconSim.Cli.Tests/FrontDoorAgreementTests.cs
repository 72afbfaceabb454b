using System.Globalization;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// The four front doors that evaluate a model on an accelerator (<c>run</c>, a one-point <c>sweep</c>, <c>compare</c>
/// with one format, <c>validate --config</c>) go through one pipeline, so for one config and model they report the same
/// cycles, DRAM bytes and energy per inference. The config lives outside <c>configs/</c> and names its energy table by
/// a path relative to its own folder, the case where the copies once disagreed (a sweep wrote empty energy columns).
/// </summary>
public sealed class FrontDoorAgreementTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RunSweepCompareValidate_OneConfigAndModel_AgreeOnCyclesDramAndEnergy()
    {
        string config = WriteConfig();
        string caseFolder = OneSampleCase();

        // run
        string runOut = Path.Combine(_dir.Path, "run");
        var run = CliRunner.Run(["run", "--config", config, "--model", caseFolder, "--out", runOut, "--thermal-seconds", "0"]);
        Assert.True(run.Exit == 0, run.Err);

        // a one-point sweep
        string sweepFile = _dir.File("sweep.yaml", System.Text.Encoding.UTF8.GetBytes($"base: {config}\nmodels: [{caseFolder}]\nthermal_seconds: 0\n"));
        string sweepOut = Path.Combine(_dir.Path, "sweep");
        var sweep = CliRunner.Run(["sweep", sweepFile, "--out", sweepOut, "--jobs", "1"]);
        Assert.True(sweep.Exit == 0, sweep.Err);
        var fromSweep = SweepNumbers(Path.Combine(sweepOut, "results.csv"));

        // compare, int8 only: it quantizes the float model with ONNX Runtime's default recipe, which reproduces the
        // digits u8s8 per-tensor QDQ model, and times one inference of the first test sample
        string compareOut = Path.Combine(_dir.Path, "compare");
        var compare = CliRunner.Run(["compare", "--model", Path.Combine(SharedData.Digits, "digits_cnn_fp32", "model.onnx"),
            "--calib", Path.Combine(SharedData.Digits, "digits_calib_x.npy"), "--test", Path.Combine(SharedData.Digits, "digits_test_x.npy"),
            "--labels", Path.Combine(SharedData.Digits, "digits_test_y.npy"), "--formats", "int8", "--config", config, "--out", compareOut]);
        Assert.True(compare.Exit == 0, compare.Err);
        var fromCompare = CompareNumbers(Path.Combine(compareOut, "compare.json"));

        // validate --config
        string validateJson = Path.Combine(_dir.Path, "validate.json");
        var validate = CliRunner.Run(["validate", caseFolder, "--config", config, "--json", validateJson]);
        Assert.True(validate.Exit == 0, validate.Out + validate.Err);
        var fromValidate = ValidateNumbers(validateJson);

        var fromRun = ReportNumbers(Path.Combine(runOut, "report.json"));
        Assert.Equal(fromSweep, fromValidate);
        ReportSchema.AssertValid(Path.Combine(runOut, "report.json"));
        Assert.True(fromRun.Cycles > 0 && fromRun.DramBytes > 0 && fromRun.EnergyJ > 0, $"run: {fromRun}");
        Assert.Equal(fromRun, fromSweep);
        Assert.Equal(fromRun, fromCompare);
        Assert.Equal(fromRun, fromValidate);

        // The relative table was the one priced: the same run on the preset (default table, 10.9 pJ/bit LPDDR4) differs.
        var preset = CliRunner.Run(["run", "--model", caseFolder, "--out", Path.Combine(_dir.Path, "preset"), "--thermal-seconds", "0"]);
        Assert.True(preset.Exit == 0, preset.Err);
        var fromPreset = ReportNumbers(Path.Combine(_dir.Path, "preset", "report.json"));
        Assert.Equal(fromRun.Cycles, fromPreset.Cycles);
        Assert.NotEqual(fromRun.EnergyJ, fromPreset.EnergyJ);
    }

    [Fact]
    public void Sweep_EnergyTableThatCannotBeLoaded_IsAnErrorNamingTheFile()
    {
        string config = _dir.File("hw/broken.yaml", System.Text.Encoding.UTF8.GetBytes("base: edge-npu\nenergy: tables/missing.yaml\n"));
        string topology = _dir.File("t.csv", System.Text.Encoding.UTF8.GetBytes("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1, 10, 10, 3, 3, 4, 8, 1,\n"));
        string sweepFile = _dir.File("sweep.yaml", System.Text.Encoding.UTF8.GetBytes($"base: {config}\nmodels: [{topology}]\n"));
        var sweep = CliRunner.Run(["sweep", sweepFile, "--out", Path.Combine(_dir.Path, "out"), "--jobs", "1"]);
        Assert.Equal(2, sweep.Exit);
        Assert.Contains("missing.yaml", sweep.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "out", "results.csv")));
    }

    /// <summary>edge-npu with its own energy table beside it: the default table with LPDDR4 at 5 pJ/bit instead of 10.9.</summary>
    private string WriteConfig()
    {
        string table = File.ReadAllText(Path.Combine(Repository.Root, "configs", "energy", "horowitz-45nm.yaml"))
            .Replace("name: horowitz-45nm", "name: my-table", StringComparison.Ordinal)
            .Replace("lpddr4: 10.9", "lpddr4: 5.0", StringComparison.Ordinal);
        Assert.Contains("lpddr4: 5.0", table, StringComparison.Ordinal);
        _dir.File("hw/tables/my-table.yaml", System.Text.Encoding.UTF8.GetBytes(table));
        return _dir.File("hw/my-npu.yaml", System.Text.Encoding.UTF8.GetBytes("base: edge-npu\nname: my-npu\nenergy: tables/my-table.yaml\n"));
    }

    /// <summary>The digits u8s8 per-tensor QDQ case cut to its first test image and ONNX Runtime's logits for it (the
    /// CNN computes each image alone, so the golden's first row is the golden of the first image).</summary>
    private string OneSampleCase()
    {
        string source = Path.Combine(SharedData.Digits, "digits_cnn_qdq_u8s8_tensor");
        string folder = Path.Combine(_dir.Path, "digits_cnn_one");
        Directory.CreateDirectory(Path.Combine(folder, "test_data_set_0"));
        File.Copy(Path.Combine(source, "model.onnx"), Path.Combine(folder, "model.onnx"));
        foreach (string name in new[] { "input_0", "output_0" })
        {
            var (tensorName, value) = ModelFiles.LoadNamedTensor(Path.Combine(source, "test_data_set_0", name + ".pb"));
            using var file = File.Create(Path.Combine(folder, "test_data_set_0", name + ".pb"));
            Google.Protobuf.MessageExtensions.WriteTo(TensorProtos.ToProto(tensorName, FirstRow(value)), file);
        }

        return folder;
    }

    private static TensorValue FirstRow(TensorValue t)
    {
        int length = t.Length / t.Shape[0];
        var data = Array.CreateInstance(t.Data.GetType().GetElementType()!, length);
        Array.Copy(t.Data, data, length);
        return TensorValue.Create(t.Type, [1, .. t.Shape.Skip(1)], data);
    }


    private static Numbers ReportNumbers(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement result = doc.RootElement.GetProperty("result");
        return new Numbers(
            result.GetProperty("performance").GetProperty("total_cycles").GetInt64(),
            result.GetProperty("dram_read_bytes").GetInt64() + result.GetProperty("dram_write_bytes").GetInt64(),
            result.GetProperty("energy_per_inference_j").GetDouble());
    }

    private static Numbers SweepNumbers(string path)
    {
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        string[] header = lines[0].Split(','), row = lines[1].Split(',');
        string Cell(string column) => row[Array.IndexOf(header, column)];
        Assert.Equal("ok", Cell("status"));
        return new Numbers(
            long.Parse(Cell("cycles"), CultureInfo.InvariantCulture),
            long.Parse(Cell("dram_bytes"), CultureInfo.InvariantCulture),
            double.Parse(Cell("energy_j"), CultureInfo.InvariantCulture));
    }

    private static Numbers CompareNumbers(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement int8 = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("format").GetString() == "int8");
        return new Numbers(int8.GetProperty("cycles").GetInt64(), int8.GetProperty("dram_bytes").GetInt64(), int8.GetProperty("energy_per_inference_j").GetDouble());
    }

    private static Numbers ValidateNumbers(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement c = doc.RootElement.EnumerateArray().Single();
        return new Numbers(c.GetProperty("total_cycles").GetInt64(), c.GetProperty("dram_bytes").GetInt64(), c.GetProperty("energy_per_inference_j").GetDouble());
    }

    private sealed record Numbers(long Cycles, long DramBytes, double EnergyJ);
}
