using System.Text;
using System.Text.Json;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tests;

public sealed class RunReportJsonTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WriteReadWrite_IsByteIdentical_SoEveryFieldRoundTrips(int seed)
    {
        RunReport original = ReportFixtures.Seeded(seed);
        byte[] first = Bytes(original);
        RunReport read = RunReportFiles.Read(new MemoryStream(first));

        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(Bytes(read)));
        Assert.Equal(original with { ConfigOverrides = read.ConfigOverrides, Result = read.Result }, read);
        Assert.Equal(original.ConfigOverrides.ToArray(), read.ConfigOverrides.ToArray());
        Assert.Equal(original.Result.Performance.Layers.Select(l => l.Name), read.Result.Performance.Layers.Select(l => l.Name));
        Assert.Equal(original.Result.TopsPerWatt, read.Result.TopsPerWatt);
        Assert.Equal(original.Result.Thermal!.Samples.ToArray(), read.Result.Thermal!.Samples.ToArray());
    }

    [Fact]
    public void Write_PutsTheSchemaIdProvenanceAndHeadlineNumbersWhereTheReadmeSays()
    {
        RunReport report = ReportFixtures.Seeded(5);
        using JsonDocument json = JsonDocument.Parse(Bytes(report));
        JsonElement root = json.RootElement;
        JsonElement result = root.GetProperty("result");

        Assert.Equal("siliconsim.run/2", root.GetProperty("schema").GetString());
        Assert.Equal("1.2.3", root.GetProperty("tool_version").GetString());
        Assert.Equal("ab12", root.GetProperty("config").GetProperty("sha256").GetString());
        Assert.Equal(["thermal.ambient_c=45"], root.GetProperty("config").GetProperty("overrides").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("cd34", root.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal(report.Result.TopsPerWatt, result.GetProperty("tops_per_w").GetDouble());
        Assert.Equal(64, result.GetProperty("peak_junction_c").GetDouble());
        Assert.Equal(report.Result.EnergyPerInferenceJ, result.GetProperty("energy_per_inference_j").GetDouble());
        Assert.Equal(12.8, result.GetProperty("performance").GetProperty("dram_bandwidth_gbps").GetDouble());
        Assert.Equal(report.Result.Performance.TotalCycles, result.GetProperty("performance").GetProperty("total_cycles").GetInt64());
        Assert.Equal("drift", result.GetProperty("values").GetString());
        JsonElement layer = result.GetProperty("performance").GetProperty("layers")[0];
        Assert.Equal("matrix", layer.GetProperty("kind").GetString());
        Assert.Equal("Float8E4M3FN", layer.GetProperty("weight_type").GetString());
        Assert.Equal(["input"], layer.GetProperty("buffers")[0].GetProperty("operands").EnumerateArray().Select(e => e.GetString()));
        JsonElement summary = result.GetProperty("thermal_summary");
        Assert.Equal(600, summary.GetProperty("throttle_events")[0].GetProperty("to_mhz").GetDouble());
        Assert.Equal(0.007, summary.GetProperty("time_at_each_step")[1].GetProperty("seconds").GetDouble());
    }

    [Fact]
    public void Write_TheMemoryPlan_NamesTheScheduleAsTheConfigDoes_AndRoundTrips()
    {
        RunReport report = ReportFixtures.Seeded(1) with { Result = ReportFixtures.Planned(split: new BatchSplit(8, 3, 3)) };
        byte[] first = Bytes(report);
        using JsonDocument json = JsonDocument.Parse(first);
        JsonElement performance = json.RootElement.GetProperty("result").GetProperty("performance");
        JsonElement plan = performance.GetProperty("plan");

        Assert.Equal("depth_first", plan.GetProperty("schedule").GetString());
        Assert.Equal(11840, plan.GetProperty("lower_bound_dram_bytes").GetInt64());
        Assert.Equal(3, plan.GetProperty("batch_split").GetProperty("sub_batch").GetInt32());
        JsonElement conv1 = performance.GetProperty("layers")[3];
        Assert.Equal(20480, conv1.GetProperty("dram").GetProperty("spill_write_bytes").GetInt64());
        Assert.Equal(["relu0_out", "skip,a"], conv1.GetProperty("occupancy").GetProperty("spilled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("conv0", performance.GetProperty("layers")[2].GetProperty("fused_into").GetString());

        RunReport read = RunReportFiles.Read(new MemoryStream(first));
        Assert.Equal(Hardware.Specs.ExecutionSchedule.DepthFirst, read.Result.Performance.Plan.Schedule);
        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(Bytes(read)));
        Assert.Empty(ReportSchema.Validate(first));
    }

    [Fact]
    public void Write_NonFiniteNumbers_AreNamedStrings_AndReadBack()
    {
        RunReport report = ReportFixtures.Seeded(6);
        LayerResult vector = report.Result.Performance.Layers[2];
        Assert.True(double.IsPositiveInfinity(vector.OpsPerDramByte));
        RunReport nan = report with { Result = report.Result with { Outputs = [report.Result.Outputs[0] with { MaxAbsDiff = double.NaN }] } };

        using JsonDocument json = JsonDocument.Parse(Bytes(nan));
        JsonElement result = json.RootElement.GetProperty("result");
        Assert.Equal("Infinity", result.GetProperty("performance").GetProperty("layers")[2].GetProperty("ops_per_dram_byte").GetString());
        Assert.Equal("NaN", result.GetProperty("outputs")[0].GetProperty("max_abs_diff").GetString());
        Assert.True(double.IsNaN(RunReportFiles.Read(new MemoryStream(Bytes(nan))).Result.Outputs[0].MaxAbsDiff));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "object")]
    [InlineData("{}", "missing key 'schema'")]
    [InlineData("{\"schema\":\"siliconsim.run/3\"}", "schema is 'siliconsim.run/3'")]
    [InlineData("{\"schema\":\"siliconsim.run/2\"}", "missing required properties")]
    [InlineData("{\"schema\":\"siliconsim.run/1\"}", "missing key 'config'")]
    public void Read_Malformed_ThrowsNamingTheProblem(string json, string expected)
    {
        var e = Assert.Throws<RunReportFormatException>(() => RunReportFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongTypeForACycleCount_ThrowsNamingTheKey()
    {
        string json = Encoding.UTF8.GetString(Bytes(ReportFixtures.Seeded(1)));
        int at = json.IndexOf("\"compute_cycles\": ", json.IndexOf("\"layers\"", StringComparison.Ordinal), StringComparison.Ordinal);
        string broken = json[..at] + "\"compute_cycles\": \"many\"," + json[(json.IndexOf(',', at) + 1)..];
        var e = Assert.Throws<RunReportFormatException>(() => RunReportFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(broken))));
        Assert.Contains("compute_cycles", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NullWhereTheSchemaForbidsIt_Throws()
    {
        string json = Encoding.UTF8.GetString(Bytes(ReportFixtures.Seeded(1)));
        string broken = json.Replace("\"model\": \"digits\"", "\"model\": null", StringComparison.Ordinal);
        Assert.NotEqual(json, broken);
        Assert.Throws<RunReportFormatException>(() => RunReportFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(broken))));
    }

    [Fact]
    public void ReadV1_ConvertsLayersOutputsEnergyAndTheThermalTrace()
    {
        RunReport report = RunReportFiles.Read(ReportFixtures.V1Report);
        RunResult run = report.Result;

        Assert.Equal(["thermal.ambient_c=85", "thermal.throttle_c=86", "thermal.hysteresis_c=0.5"], report.ConfigOverrides.ToArray());
        Assert.Equal("edge-npu", run.Performance.Accelerator);
        Assert.Equal(360, run.Batch);
        Assert.Equal(952591, run.Performance.TotalCycles);
        Assert.Equal(219202560, run.Performance.Macs);
        Assert.Equal(ValuesOutcome.BitExact, run.Values);
        Assert.Equal(run.Performance.Layers.Select(l => l.Name), run.Energy.Layers.Select(l => l.Name));
        // The /1 file's summary line: 1.5545 uJ per inference, 0.78 TOPS/W.
        Assert.Equal(1.5545e-6, run.EnergyPerInferenceJ, 1e-10);
        Assert.Equal(0.78, run.TopsPerWatt, 2);

        ThermalSummary thermal = run.ThermalSummary!;
        Assert.Equal(86, thermal.ThrottleC);
        Assert.Equal(105, thermal.MaxJunctionC);
        Assert.Equal(1.32, thermal.TimeToFirstThrottleS);
        // DVFS: 1000 -> 800 MHz at 1.32 s, 800 -> 600 MHz at 1.74 s, 600 -> 400 MHz at 2.27 s.
        Assert.Equal([(1000.0, 800.0), (800, 600), (600, 400)], thermal.ThrottleEvents.Select(e => (e.FromMhz, e.ToMhz)));
        Assert.Equal([1000.0, 800, 600, 400], thermal.TimeAtEachStep.Select(s => s.FrequencyMhz));
        Assert.Equal([1.32, 0.42, 0.53, 2.73], thermal.TimeAtEachStep.Select(s => Math.Round(s.Seconds, 6)));
        Assert.Equal(run.Thermal!.Samples.Max(s => s.JunctionC), run.PeakJunctionC);
        Assert.Equal(400, run.Thermal.Samples[^1].FrequencyMhz);
        Assert.Equal(3, run.Thermal.Samples[^1].DvfsStep);
    }

    [Fact]
    public void ReadV1_WithAThrottleReasonThatNamesNoClock_Throws()
    {
        string json = File.ReadAllText(ReportFixtures.V1Report).Replace("throttle to 600 MHz", "too hot", StringComparison.Ordinal);
        var e = Assert.Throws<RunReportFormatException>(() => RunReportFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("too hot", e.Message, StringComparison.Ordinal);
    }

    internal static byte[] Bytes(RunReport report)
    {
        var stream = new MemoryStream();
        Json.RunReportJson.Write(report, stream);
        return stream.ToArray();
    }
}
