using System.Collections.Immutable;
using System.Text.Json;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Reads <c>report.json</c> (schema <c>siliconsim.run/1</c>) back into a <see cref="RunReport"/>: the inverse of
/// <see cref="RunReportJson.Write"/>. Derived values (totals, ops per byte) are recomputed from the layers, not read.
/// Anything malformed raises <see cref="RunReportFormatException"/> naming the key.
/// </summary>
public static class RunReportReader
{
    public static RunReport Read(Stream stream)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new RunReportFormatException($"not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RunReportFormatException("the top level must be a JSON object");
            }

            string schema = Str(root, "schema");
            if (schema != RunReportJson.Schema)
            {
                throw new RunReportFormatException($"schema is '{schema}', expected '{RunReportJson.Schema}'");
            }

            JsonElement config = Obj(root, "config");
            JsonElement model = Obj(root, "model");
            var layers = Arr(root, "layers").Select(ReadLayer).ToImmutableArray();
            var result = new SimulationResult
            {
                Accelerator = Str(config, "accelerator"),
                Model = Str(model, "name"),
                Batch = (int)Long(model, "batch"),
                ClockMhz = Dbl(config, "clock_mhz"),
                PeCount = (int)Long(config, "pe_count"),
                DramBandwidthGBps = Dbl(config, "dram_bandwidth_gbps"),
                Layers = layers,
            };
            return new RunReport
            {
                ToolVersion = Str(root, "siliconsim_version"),
                ConfigPath = Str(config, "path"),
                ConfigSha256 = Str(config, "sha256"),
                ConfigOverrides = config.TryGetProperty("overrides", out JsonElement overrides) ? [.. Arr(config, "overrides").Select(o => o.GetString() ?? string.Empty)] : [],
                ModelPath = Str(model, "path"),
                ModelSha256 = Str(model, "sha256"),
                Numerics = Str(config, "numerics"),
                ReferenceNumerics = Get(config, "reference_numerics").ValueKind == JsonValueKind.True,
                Result = result,
                Outputs = [.. Arr(root, "outputs").Select(ReadOutput)],
                Extras = ReadExtras(root),
            };
        }
    }

    private static LayerResult ReadLayer(JsonElement l) => new()
    {
        Name = Str(l, "layer"),
        OpType = Str(l, "op"),
        Kind = Str(l, "unit") switch
        {
            "array" => LayerKind.Matrix,
            "vector" => LayerKind.Vector,
            var u => throw new RunReportFormatException($"layers[].unit '{u}' is neither 'array' nor 'vector'"),
        },
        Shape = Str(l, "shape"),
        Macs = Long(l, "macs"),
        Folds = Long(l, "folds"),
        ComputeCycles = Long(l, "compute_cycles"),
        StallCycles = Long(l, "stall_cycles"),
        Utilization = Dbl(l, "utilization"),
        SramReadBytes = Long(l, "sram_read_bytes"),
        SramWriteBytes = Long(l, "sram_write_bytes"),
        DramReadBytes = Long(l, "dram_read_bytes"),
        DramWriteBytes = Long(l, "dram_write_bytes"),
        Buffers = [.. Arr(l, "buffers").Select(ReadBuffer)],
    };

    private static BufferCounters ReadBuffer(JsonElement b) => new()
    {
        Name = Str(b, "name"),
        Role = b.TryGetProperty("role", out JsonElement role) ? ParseEnum<BufferRole>(role.GetString(), "role") : BufferRole.Unified,
        Operands = b.TryGetProperty("operands", out JsonElement ops) && ops.ValueKind == JsonValueKind.Array
            ? [.. ops.EnumerateArray().Select(o => ParseEnum<OperandKind>(o.GetString(), "operands"))]
            : [],
        ReadBytes = Long(b, "read_bytes"),
        WriteBytes = Long(b, "write_bytes"),
        ReadAccesses = Long(b, "read_accesses"),
        WriteAccesses = Long(b, "write_accesses"),
    };

    private static OutputComparison ReadOutput(JsonElement o) => new()
    {
        Name = Str(o, "name"),
        Elements = Long(o, "elements"),
        Mismatches = Long(o, "mismatches"),
        MaxAbsDiff = NullableDbl(o, "max_abs_diff") ?? double.NaN,
        Top1Agreement = NullableDbl(o, "top1_agreement") is double t ? (int)t : null,
        Rows = NullableDbl(o, "rows") is double r ? (int)r : null,
        Accuracy = NullableDbl(o, "accuracy"),
        GoldenAccuracy = NullableDbl(o, "golden_accuracy"),
    };

    private static ReportExtras ReadExtras(JsonElement root)
    {
        var extras = ReportExtras.None;
        if (root.TryGetProperty("energy", out JsonElement energy) && energy.ValueKind == JsonValueKind.Object)
        {
            var components = Arr(energy, "components").Select(c => c.GetString() ?? string.Empty).ToArray();
            var layers = Arr(energy, "layers").Select(l => new Charts.LayerEnergy(Str(l, "layer"), Doubles(l, "pj"))).ToArray();
            extras = extras with { Energy = new Charts.EnergyBreakdown(components, layers) };
        }

        if (root.TryGetProperty("thermal", out JsonElement thermal) && thermal.ValueKind == JsonValueKind.Object)
        {
            var throttles = Arr(thermal, "throttles").Select(t => new Charts.ThrottleEvent(Dbl(t, "time_s"), Str(t, "reason"))).ToArray();
            extras = extras with
            {
                Thermal = new Charts.ThermalTrace(Doubles(thermal, "time_s"), Doubles(thermal, "power_w"), Doubles(thermal, "junction_c"), Dbl(thermal, "limit_c"), throttles)
                {
                    MaxJunctionCelsius = thermal.TryGetProperty("max_junction_c", out _) ? NullableDbl(thermal, "max_junction_c") : null,
                },
            };
        }

        return extras;
    }

    private static double[] Doubles(JsonElement e, string key) =>
        [.. Arr(e, key).Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN)];

    private static T ParseEnum<T>(string? text, string key)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new RunReportFormatException($"'{key}' has unknown value '{text}'");

    private static JsonElement Get(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v)
            ? v
            : throw new RunReportFormatException($"missing key '{key}'");

    private static JsonElement Obj(JsonElement e, string key)
    {
        JsonElement v = Get(e, key);
        return v.ValueKind == JsonValueKind.Object ? v : throw new RunReportFormatException($"'{key}' must be an object");
    }

    private static JsonElement.ArrayEnumerator Arr(JsonElement e, string key)
    {
        JsonElement v = Get(e, key);
        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new RunReportFormatException($"'{key}' must be an array");
    }

    private static string Str(JsonElement e, string key)
    {
        JsonElement v = Get(e, key);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new RunReportFormatException($"'{key}' must be a string");
    }

    private static long Long(JsonElement e, string key)
    {
        JsonElement v = Get(e, key);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : throw new RunReportFormatException($"'{key}' must be an integer");
    }

    /// <summary>Non-finite values are written as null (RunReportJson); they read back as NaN.</summary>
    private static double Dbl(JsonElement e, string key) => NullableDbl(e, key) ?? double.NaN;

    private static double? NullableDbl(JsonElement e, string key)
    {
        JsonElement v = Get(e, key);
        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => v.GetDouble(),
            _ => throw new RunReportFormatException($"'{key}' must be a number or null"),
        };
    }
}
