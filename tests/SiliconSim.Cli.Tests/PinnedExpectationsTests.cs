using System.Text;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Hardware.Energy;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// Pinned end-to-end numbers (ZigZag's and SCALE-Sim's regression style): for every preset and bundled workload, the
/// totals of one evaluation through the pipeline (cycles, stalls, SRAM and DRAM bytes, energy by component, the
/// junction temperature leakage was priced at, peak junction over 600 s of back-to-back inference), checked in under
/// <c>Expected/&lt;preset&gt;.json</c>. Any change to any of them fails here and shows as a diff; a modelling change
/// regenerates them with
/// <c>SILICONSIM_UPDATE_EXPECTED=1 dotnet test tests/SiliconSim.Cli.Tests --filter PinnedExpectations</c> and says
/// why in its commit message.
/// </summary>
public sealed class PinnedExpectationsTests
{
    /// <summary>The bundled workloads: digits CNN and MLP (ORT-quantized QDQ and QOperator), the zoo models and the
    /// ResNet-18 SCALE-Sim topology. Paths relative to the repository root.</summary>
    private static readonly string[] s_workloads =
    [
        "workloads/digits/digits_cnn_qdq_u8s8_tensor", "workloads/digits/digits_cnn_qdq_s8s8_channel", "workloads/digits/digits_cnn_qop_u8s8_tensor",
        "workloads/digits/digits_mlp_qdq_u8s8_tensor", "workloads/digits/digits_mlp_qdq_s8s8_channel", "workloads/digits/digits_mlp_qop_u8s8_tensor",
        "workloads/zoo/mobilenetv2_mini_fp32", "workloads/zoo/mobilenetv2_mini_qdq_s8s8_channel", "workloads/zoo/mobilenetv2_mini_qop_u8s8_tensor",
        "workloads/zoo/resnet_mini_fp32", "workloads/zoo/resnet_mini_qdq_s8s8_channel", "workloads/zoo/resnet_mini_qop_u8s8_tensor",
        "workloads/zoo/transformer_encoder_fp32", "workloads/zoo/transformer_encoder_fp32_static_3x12", "workloads/zoo/transformer_encoder_qdq_s8s8_channel",
        "workloads/zoo/transformer_encoder_qdyn_u8s8_tensor", "workloads/zoo/transformer_encoder_qop_u8s8_tensor",
        "workloads/scalesim/resnet18_224.csv",
    ];

    public static TheoryData<string> Presets => new(Config.PresetCatalog.Names());

    [Theory]
    [MemberData(nameof(Presets))]
    public void PinnedExpectations_EveryBundledWorkload_MatchesTheCheckedInTotals(string preset)
    {
        string root = Repository.Root;
        HardwareConfig config = HardwareConfig.Load(preset);
        string actual = Render(preset, config, root);
        string file = Path.Combine(root, "tests", "SiliconSim.Cli.Tests", "Expected", preset + ".json");
        if (Environment.GetEnvironmentVariable("SILICONSIM_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(file, actual);
            return;
        }

        Assert.True(File.Exists(file), $"{file} is missing; regenerate with SILICONSIM_UPDATE_EXPECTED=1 (see the class doc)");
        string expected = File.ReadAllText(file);
        Assert.True(expected == actual, $"{preset}: pinned totals changed (regenerate with SILICONSIM_UPDATE_EXPECTED=1 and say why in the commit):{Environment.NewLine}{Diff(expected, actual)}");
    }

    private static string Render(string preset, HardwareConfig config, string root)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("preset", preset);
            json.WriteString("energy_table", config.EnergyTable.Name);
            json.WriteStartObject("workloads");
            foreach (string relative in s_workloads)
            {
                json.WriteStartObject(Path.GetFileNameWithoutExtension(relative));
                Evaluate(config, Path.Combine(root, relative), json);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void Evaluate(HardwareConfig config, string target, Utf8JsonWriter json)
    {
        LoadedWorkload workload = WorkloadFiles.Load(target);
        RunOutcome outcome = SimulationPipeline.Evaluate(new SweepModel(workload, string.Empty).For(config.Spec), config.Spec, config.EnergyTable);
        if (!outcome.Success)
        {
            json.WriteString("status", "infeasible");
            json.WriteStartArray("problems");
            foreach (SimulationProblem p in outcome.Problems)
            {
                json.WriteStringValue($"{p.ConfigPath}: {p.Message}");
            }

            json.WriteEndArray();
            return;
        }

        RunResult r = outcome.Result!;
        json.WriteString("status", "ok");
        json.WriteString("values", r.Values.ToString());
        json.WriteNumber("mismatches", r.Mismatches);
        json.WriteNumber("batch", r.Batch);
        json.WriteNumber("layers", r.Performance.Layers.Length);
        json.WriteNumber("macs", r.Performance.Macs);
        json.WriteNumber("cycles", r.Performance.TotalCycles);
        json.WriteNumber("compute_cycles", r.Performance.ComputeCycles);
        json.WriteNumber("stall_cycles", r.Performance.StallCycles);
        json.WriteNumber("sram_read_bytes", r.Performance.Layers.Sum(l => l.SramReadBytes));
        json.WriteNumber("sram_write_bytes", r.Performance.Layers.Sum(l => l.SramWriteBytes));
        json.WriteNumber("dram_read_bytes", r.DramReadBytes);
        json.WriteNumber("dram_write_bytes", r.DramWriteBytes);
        EnergyBreakdown e = r.Energy.Total;
        json.WriteStartObject("energy_j");
        json.WriteNumber("mac", e.MacJ);
        json.WriteNumber("accumulator", e.AccumulatorJ);
        json.WriteNumber("registers", e.RegistersJ);
        json.WriteNumber("sram", e.SramJ);
        json.WriteNumber("dram", e.DramJ);
        json.WriteNumber("vector", e.VectorJ);
        json.WriteNumber("leakage", e.LeakageJ);
        json.WriteNumber("overhead", e.OverheadJ);
        json.WriteNumber("idle", e.IdleJ);
        json.WriteNumber("total", e.TotalJ);
        json.WriteEndObject();
        json.WriteNumber("energy_per_inference_j", r.EnergyPerInferenceJ);
        json.WriteNumber("leakage_priced_at_junction_c", r.Energy.Leakage!.JunctionC);
        if (r.ThermalSummary is { } t)
        {
            json.WriteNumber("peak_junction_c", t.PeakJunctionC);
            json.WriteNumber("time_at_throttled_steps_s", t.TimeAtEachStep.Skip(1).Sum(s => s.Seconds));
        }
    }

    /// <summary>The differing lines, expected then actual, at most 40.</summary>
    private static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        var lines = new List<string>();
        for (int i = 0; i < Math.Max(a.Length, b.Length) && lines.Count < 40; i++)
        {
            string x = i < a.Length ? a[i] : "<none>", y = i < b.Length ? b[i] : "<none>";
            if (x != y)
            {
                lines.Add($"line {i + 1}: - {x.Trim()}");
                lines.Add($"line {i + 1}: + {y.Trim()}");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

}
