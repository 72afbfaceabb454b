using System.Text;
using System.Text.Json;
using SiliconSim.Simulation.Llm;

namespace SiliconSim.Reporting.Llm;

/// <summary>
/// <c>generate.json</c> (schema <c>siliconsim.generate/1</c>): the headline numbers (TTFT, TPOT, tokens/s, joules and
/// DRAM reads per generated token) and per phase its cycles, energy by component, KV cache and traffic, and its place
/// on the roofline. Units are in the key names.
/// </summary>
public static class GenerationJson
{
    public const string Schema = "siliconsim.generate/1";

    public const string FileName = "generate.json";

    public static string Render(GenerationResult result, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            GenerationRequest q = result.Request;
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("tool_version", toolVersion);
            w.WriteString("model", q.Model);
            w.WriteString("architecture", q.Shape.Architecture);
            w.WriteNumber("parameters", q.Shape.ParameterCount);
            w.WriteString("accelerator", result.Accelerator);
            w.WriteNumber("clock_mhz", result.ClockMhz);
            w.WriteString("weights", LlmFormats.Name(q.Weights));
            w.WriteString("kv_cache", LlmFormats.Name(q.Kv));
            w.WriteNumber("weight_bytes", result.WeightBytes);
            w.WriteNumber("on_chip_bytes", result.OnChipBytes);
            w.WriteNumber("batch", q.Batch);
            w.WriteNumber("prompt_tokens", q.PromptTokens);
            w.WriteNumber("new_tokens", q.NewTokens);
            w.WriteNumber("ttft_s", result.TtftS);
            w.WriteNumber("tpot_s", result.TpotS);
            w.WriteNumber("tokens_per_s", result.TokensPerS);
            w.WriteNumber("energy_per_token_j", result.EnergyPerTokenJ);
            w.WriteNumber("dram_read_bytes_per_token", result.DramReadBytesPerToken);
            w.WriteNumber("peak_ops_per_s", result.PeakOpsPerSecond);
            w.WriteNumber("dram_bytes_per_s", result.DramBytesPerSecond);
            w.WriteStartArray("decode_steps_timed");
            foreach (int step in result.SampledSteps)
            {
                w.WriteNumberValue(step);
            }

            w.WriteEndArray();
            if (result.Generated is { } generated)
            {
                // Present only when the values were executed: the greedy tokens per sequence.
                w.WriteNumber("executed_graph_runs", generated.Steps);
                w.WriteStartArray("generated_tokens");
                foreach (var sequence in generated.Tokens)
                {
                    w.WriteStartArray();
                    foreach (long token in sequence)
                    {
                        w.WriteNumberValue(token);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
            }

            Phase(w, "prefill", result.Prefill, result);
            Phase(w, "decode", result.Decode, result);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Phase(Utf8JsonWriter w, string name, PhaseMetrics p, GenerationResult r)
    {
        w.WriteStartObject(name);
        w.WriteNumber("cycles", Math.Round(p.Cycles));
        w.WriteNumber("seconds", p.Seconds);
        w.WriteNumber("macs", Math.Round(p.Macs));
        w.WriteNumber("energy_j", p.EnergyJ);
        w.WriteStartObject("energy_by_component_j");
        w.WriteNumber("mac", p.MacJ);
        w.WriteNumber("accumulator", p.AccumulatorJ);
        w.WriteNumber("registers", p.RegistersJ);
        w.WriteNumber("sram", p.SramJ);
        w.WriteNumber("dram", p.DramJ);
        w.WriteNumber("vector", p.VectorJ);
        w.WriteNumber("leakage", p.LeakageJ);
        w.WriteNumber("overhead", p.OverheadJ);
        w.WriteNumber("idle", p.IdleJ);
        w.WriteEndObject();
        w.WriteNumber("kv_cache_bytes", p.KvCacheBytes);
        w.WriteNumber("dram_read_bytes", Math.Round(p.DramReadBytes));
        w.WriteNumber("dram_write_bytes", Math.Round(p.DramWriteBytes));
        w.WriteNumber("weight_read_bytes", Math.Round(p.WeightReadBytes));
        w.WriteNumber("kv_read_bytes", Math.Round(p.KvReadBytes));
        w.WriteNumber("kv_write_bytes", Math.Round(p.KvWriteBytes));
        w.WriteStartObject("roofline");
        Number(w, "ops_per_dram_byte", p.OpsPerDramByte);
        w.WriteNumber("attained_ops_per_s", p.AttainedOpsPerSecond);
        Number(w, "roof_ops_per_s", Math.Min(r.PeakOpsPerSecond, p.OpsPerDramByte * r.DramBytesPerSecond));
        w.WriteString("bound", r.IsMemoryBound(p) ? "memory" : "compute");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A number, or null where it is infinite (a phase that moves no DRAM bytes has no finite intensity).</summary>
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
