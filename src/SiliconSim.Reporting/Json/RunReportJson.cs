using System.Text.Json;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Writes <c>report.json</c> (schema <c>siliconsim.run/1</c>, documented in reports/README.md): snake_case keys, cycles
/// and bytes as integers, times in seconds, non-finite numbers as null. Keys are written in a fixed order so equal
/// runs give byte-identical files.
/// </summary>
public static class RunReportJson
{
    public const string Schema = "siliconsim.run/1";

    public static void Write(RunReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        SimulationResult r = report.Result;
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteString("siliconsim_version", report.ToolVersion);
        w.WriteStartObject("config");
        w.WriteString("path", report.ConfigPath);
        w.WriteString("sha256", report.ConfigSha256);
        if (!report.ConfigOverrides.IsDefaultOrEmpty)
        {
            w.WriteStartArray("overrides");
            foreach (string o in report.ConfigOverrides)
            {
                w.WriteStringValue(o);
            }

            w.WriteEndArray();
        }

        w.WriteString("accelerator", r.Accelerator);
        w.WriteNumber("clock_mhz", r.ClockMhz);
        w.WriteNumber("pe_count", r.PeCount);
        w.WriteNumber("dram_bandwidth_gbps", r.DramBandwidthGBps);
        w.WriteString("numerics", report.Numerics);
        w.WriteBoolean("reference_numerics", report.ReferenceNumerics);
        w.WriteEndObject();
        w.WriteStartObject("model");
        w.WriteString("path", report.ModelPath);
        w.WriteString("sha256", report.ModelSha256);
        w.WriteString("name", r.Model);
        w.WriteNumber("batch", r.Batch);
        w.WriteEndObject();

        w.WriteStartObject("totals");
        w.WriteNumber("macs", r.Macs);
        w.WriteNumber("cycles", r.TotalCycles);
        w.WriteNumber("compute_cycles", r.ComputeCycles);
        w.WriteNumber("stall_cycles", r.StallCycles);
        Number(w, "latency_s", r.LatencySeconds);
        Number(w, "inferences_per_second", r.InferencesPerSecond);
        Number(w, "utilization", r.TotalCycles == 0 ? 0 : r.Macs / ((double)r.PeCount * r.TotalCycles));
        w.WriteNumber("sram_read_bytes", r.Layers.Sum(l => l.SramReadBytes));
        w.WriteNumber("sram_write_bytes", r.Layers.Sum(l => l.SramWriteBytes));
        w.WriteNumber("dram_read_bytes", r.Layers.Sum(l => l.DramReadBytes));
        w.WriteNumber("dram_write_bytes", r.Layers.Sum(l => l.DramWriteBytes));
        Number(w, "peak_ops_per_second", r.PeakOpsPerSecond);
        Number(w, "dram_bytes_per_second", r.DramBytesPerSecond);
        w.WriteEndObject();

        w.WriteStartArray("layers");
        foreach (LayerResult l in r.Layers)
        {
            w.WriteStartObject();
            w.WriteString("layer", l.Name);
            w.WriteString("op", l.OpType);
            w.WriteString("unit", l.Kind == LayerKind.Matrix ? "array" : "vector");
            w.WriteString("shape", l.Shape);
            w.WriteNumber("macs", l.Macs);
            w.WriteNumber("folds", l.Folds);
            w.WriteNumber("compute_cycles", l.ComputeCycles);
            w.WriteNumber("stall_cycles", l.StallCycles);
            w.WriteNumber("total_cycles", l.TotalCycles);
            Number(w, "utilization", l.Utilization);
            w.WriteNumber("sram_read_bytes", l.SramReadBytes);
            w.WriteNumber("sram_write_bytes", l.SramWriteBytes);
            w.WriteNumber("dram_read_bytes", l.DramReadBytes);
            w.WriteNumber("dram_write_bytes", l.DramWriteBytes);
            Number(w, "ops_per_dram_byte", l.OpsPerDramByte);
            w.WriteStartArray("buffers");
            foreach (BufferCounters b in l.Buffers)
            {
                w.WriteStartObject();
                w.WriteString("name", b.Name);
                w.WriteString("role", b.Role.ToString().ToLowerInvariant());
                w.WriteStartArray("operands");
                foreach (OperandKind k in b.Operands)
                {
                    w.WriteStringValue(k.ToString().ToLowerInvariant());
                }

                w.WriteEndArray();
                w.WriteNumber("read_bytes", b.ReadBytes);
                w.WriteNumber("write_bytes", b.WriteBytes);
                w.WriteNumber("read_accesses", b.ReadAccesses);
                w.WriteNumber("write_accesses", b.WriteAccesses);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("outputs");
        foreach (OutputComparison o in report.Outputs)
        {
            w.WriteStartObject();
            w.WriteString("name", o.Name);
            w.WriteNumber("elements", o.Elements);
            w.WriteNumber("mismatches", o.Mismatches);
            Number(w, "max_abs_diff", o.MaxAbsDiff);
            Optional(w, "top1_agreement", o.Top1Agreement);
            Optional(w, "rows", o.Rows);
            Number(w, "accuracy", o.Accuracy);
            Number(w, "golden_accuracy", o.GoldenAccuracy);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteExtras(w, report.Extras);
        w.WriteEndObject();
    }

    // Optional sections: "energy" (pJ per layer and component) and "thermal" (the sampled trace and throttle events).
    private static void WriteExtras(Utf8JsonWriter w, ReportExtras extras)
    {
        if (extras.Energy is { } energy)
        {
            w.WriteStartObject("energy");
            w.WriteStartArray("components");
            foreach (string c in energy.Components)
            {
                w.WriteStringValue(c);
            }

            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (Charts.LayerEnergy l in energy.Layers)
            {
                w.WriteStartObject();
                w.WriteString("layer", l.Layer);
                Numbers(w, "pj", l.ComponentPj);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (extras.Thermal is { } thermal)
        {
            w.WriteStartObject("thermal");
            Number(w, "limit_c", thermal.LimitCelsius);
            if (thermal.MaxJunctionCelsius is double max)
            {
                Number(w, "max_junction_c", max);
            }

            Numbers(w, "time_s", thermal.TimeSeconds);
            Numbers(w, "power_w", thermal.PowerWatts);
            Numbers(w, "junction_c", thermal.JunctionCelsius);
            w.WriteStartArray("throttles");
            foreach (Charts.ThrottleEvent t in thermal.Throttles)
            {
                w.WriteStartObject();
                Number(w, "time_s", t.TimeSeconds);
                w.WriteString("reason", t.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
