using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;
using ThrottleEvent = SiliconSim.Simulation.Thermal.ThrottleEvent;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Reads a <c>report.json</c> of the retired schema <c>siliconsim.run/1</c> into a <see cref="RunReport"/>, so older
/// runs still re-render. A /1 file holds the layers, the outputs, energy per layer in eight components and the sampled
/// thermal trace with its throttle events; what it never recorded is filled as reports/README.md ("Reading /1 files")
/// lists: unknown numbers are NaN, unknown counts 0, unknown texts empty. Derived values (totals, ops per byte) are
/// recomputed from the layers. Anything malformed raises <see cref="RunReportFormatException"/> naming the key.
/// </summary>
internal static class RunReportV1Reader
{
    public const string SchemaId = "siliconsim.run/1";

    /// <summary>The energy components <c>siliconsim run</c> wrote, in its order; SRAM is all buffers together.</summary>
    private static readonly string[] s_components = ["MAC", "accumulator", "registers", "SRAM", "DRAM", "vector unit", "leakage", "clock/control"];

    public static RunReport Read(JsonElement root)
    {
        JsonElement config = Obj(root, "config");
        JsonElement model = Obj(root, "model");
        var performance = new SimulationResult
        {
            Accelerator = Str(config, "accelerator"),
            Model = Str(model, "name"),
            Batch = (int)Long(model, "batch"),
            ClockMhz = Dbl(config, "clock_mhz"),
            PeCount = (int)Long(config, "pe_count"),
            DramBandwidthGBps = Dbl(config, "dram_bandwidth_gbps"),
            Layers = [.. Arr(root, "layers").Select(ReadLayer)],
        };
        bool reference = Get(config, "reference_numerics").ValueKind == JsonValueKind.True;
        ImmutableArray<OutputDrift> outputs = [.. Arr(root, "outputs").Select(ReadOutput)];
        long mismatches = outputs.Sum(o => o.Mismatches);
        var (thermal, summary) = root.TryGetProperty("thermal", out JsonElement t) && t.ValueKind == JsonValueKind.Object
            ? ReadThermal(t, performance.ClockMhz)
            : (null, null);
        var result = new RunResult
        {
            Model = performance.Model,
            // /1 did not record whether a run without a golden executed its values.
            Values = outputs.IsEmpty ? ValuesOutcome.TimingOnly : mismatches == 0 ? ValuesOutcome.BitExact : reference ? ValuesOutcome.Mismatch : ValuesOutcome.Drift,
            Outputs = outputs,
            Mismatches = mismatches,
            Numerics = Str(config, "numerics"),
            ReferenceNumerics = reference,
            Performance = performance,
            Energy = root.TryGetProperty("energy", out JsonElement e) && e.ValueKind == JsonValueKind.Object ? ReadEnergy(e) : NoEnergy,
            Thermal = thermal,
            ThermalSummary = summary,
        };
        return new RunReport
        {
            ToolVersion = Str(root, "siliconsim_version"),
            ConfigPath = Str(config, "path"),
            ConfigSha256 = Str(config, "sha256"),
            ConfigOverrides = config.TryGetProperty("overrides", out _) ? [.. Arr(config, "overrides").Select(o => o.GetString() ?? string.Empty)] : [],
            ModelPath = Str(model, "path"),
            ModelSha256 = Str(model, "sha256"),
            Result = result,
        };
    }

    /// <summary>A run whose energy was not recorded: no layers, every component 0 (renderers draw no energy chart).</summary>
    private static EnergyReport NoEnergy => new(string.Empty, [], Breakdown(new double[s_components.Length]));

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
        // Files written before roles and operands were recorded: one unified buffer holding nothing in particular.
        Role = b.TryGetProperty("role", out JsonElement role) ? ParseEnum<BufferRole>(role.GetString(), "role") : BufferRole.Unified,
        Operands = b.TryGetProperty("operands", out JsonElement ops) && ops.ValueKind == JsonValueKind.Array
            ? [.. ops.EnumerateArray().Select(o => ParseEnum<OperandKind>(o.GetString(), "operands"))]
            : [],
        ReadBytes = Long(b, "read_bytes"),
        WriteBytes = Long(b, "write_bytes"),
        ReadAccesses = Long(b, "read_accesses"),
        WriteAccesses = Long(b, "write_accesses"),
    };

    private static OutputDrift ReadOutput(JsonElement o)
    {
        int? rows = NullableDbl(o, "rows") is double r ? (int)r : null;
        return new OutputDrift(
            Str(o, "name"),
            Long(o, "elements"),
            Long(o, "mismatches"),
            NullableDbl(o, "max_abs_diff") ?? double.NaN,
            rows ?? 0,
            NullableDbl(o, "top1_agreement") is double t ? (int)t : null,
            Correct(NullableDbl(o, "accuracy"), rows),
            Correct(NullableDbl(o, "golden_accuracy"), rows),
            Problem: null);
    }

    /// <summary>/1 stored top-1 accuracy as a fraction of rows; the result holds the count of correct rows.</summary>
    private static int? Correct(double? accuracy, int? rows) =>
        accuracy is double a && rows is int n ? (int)Math.Round(a * n, MidpointRounding.ToEven) : null;

    private static EnergyReport ReadEnergy(JsonElement energy)
    {
        string[] components = [.. Arr(energy, "components").Select(c => c.GetString() ?? string.Empty)];
        int[] slot = [.. components.Select(c => Array.IndexOf(s_components, c))];
        if (Array.IndexOf(slot, -1) is int bad and >= 0)
        {
            throw new RunReportFormatException($"energy.components: unknown component '{components[bad]}' (expected {string.Join(", ", s_components)})");
        }

        var layers = ImmutableArray.CreateBuilder<LayerEnergy>();
        foreach (JsonElement l in Arr(energy, "layers"))
        {
            double[] pj = Doubles(l, "pj");
            if (pj.Length != components.Length)
            {
                throw new RunReportFormatException($"energy.layers[].pj has {pj.Length} values for {components.Length} components");
            }

            var joules = new double[s_components.Length];
            for (int c = 0; c < pj.Length; c++)
            {
                joules[slot[c]] = pj[c] / 1e12;
            }

            layers.Add(new LayerEnergy(Str(l, "layer"), ActionCounts.Empty, Breakdown(joules)));
        }

        EnergyBreakdown total = layers.Select(l => l.Energy).Aggregate(Breakdown(new double[s_components.Length]), (a, b) => a.Plus(b));
        return new EnergyReport(string.Empty, layers.ToImmutable(), total);
    }

    /// <summary>A breakdown from the eight /1 components in J; SRAM becomes one buffer named "SRAM", all of it reads.</summary>
    private static EnergyBreakdown Breakdown(double[] j) => new()
    {
        MacJ = j[0],
        AccumulatorJ = j[1],
        RegistersJ = j[2],
        Sram = [new BufferEnergy("SRAM", j[3], 0)],
        DramJ = j[4],
        VectorJ = j[5],
        LeakageJ = j[6],
        OverheadJ = j[7],
    };

    /// <summary>
    /// The trace and its summary as far as /1 holds them. Frequencies come from the throttle reasons ("throttle to 800
    /// MHz", "recover to 1000 MHz") starting at the config's clock; DVFS steps are numbered over the frequencies the run
    /// visited, fastest first (the config's unvisited steps are unknown). A sample takes the step of the last event at
    /// or before its time; an event's junction temperature is that of the first sample at or after it.
    /// </summary>
    private static (ThermalRunResult, ThermalSummary) ReadThermal(JsonElement t, double clockMhz)
    {
        double[] time = Doubles(t, "time_s"), power = Doubles(t, "power_w"), junction = Doubles(t, "junction_c");
        if (power.Length != time.Length || junction.Length != time.Length)
        {
            throw new RunReportFormatException("thermal.time_s, power_w and junction_c must have equal lengths");
        }

        var changes = new List<(double TimeS, double FromMhz, double ToMhz)>();
        double mhz = clockMhz;
        foreach (JsonElement e in Arr(t, "throttles"))
        {
            double to = TargetMhz(Str(e, "reason"));
            changes.Add((Dbl(e, "time_s"), mhz, to));
            mhz = to;
        }

        double[] steps = [.. changes.Select(c => c.ToMhz).Prepend(clockMhz).Distinct().OrderDescending()];
        int Step(double f) => Array.IndexOf(steps, f);
        double JunctionAt(double s)
        {
            int i = Array.FindIndex(time, x => x >= s);
            return i >= 0 ? junction[i] : junction.Length > 0 ? junction[^1] : double.NaN;
        }

        var samples = ImmutableArray.CreateBuilder<ThermalSample>(time.Length);
        int next = 0;
        double current = clockMhz;
        for (int i = 0; i < time.Length; i++)
        {
            while (next < changes.Count && changes[next].TimeS <= time[i])
            {
                current = changes[next++].ToMhz;
            }

            samples.Add(new ThermalSample(time[i], junction[i], power[i], Step(current), current));
        }

        double end = time.Length > 0 ? time[^1] : 0;
        double peak = junction.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        double max = t.TryGetProperty("max_junction_c", out _) ? NullableDbl(t, "max_junction_c") ?? double.NaN : double.NaN;
        var timeAt = new double[steps.Length];
        double from = 0;
        int at = 0;
        foreach (var c in changes)
        {
            timeAt[at] += c.TimeS - from;
            (from, at) = (c.TimeS, Step(c.ToMhz));
        }

        timeAt[at] += end - from;
        var thermal = new ThermalRunResult
        {
            Status = ThermalRunStatus.Completed,
            EndTimeS = end,
            Samples = samples.MoveToImmutable(),
            ThrottleEvents = [.. changes.Select(c => new ThrottleEvent(c.TimeS, JunctionAt(c.TimeS), Step(c.FromMhz), Step(c.ToMhz)))],
            NominalSteadyState = new ThermalSteadyState(false, double.NaN, double.NaN, $"not recorded in a {SchemaId} report"),
            PeakJunctionC = peak,
            FinalJunctionC = junction.Length > 0 ? junction[^1] : double.NaN,
            ExceededMaxJunction = peak > max,
            InferencesCompleted = 0,
            AverageInferencesPerSecond = double.NaN,
            SustainedInferencesPerSecond = double.NaN,
            DynamicEnergyJ = double.NaN,
            LeakageEnergyJ = double.NaN,
            AmbientEnergyJ = double.NaN,
            StoredEnergyJ = double.NaN,
        };
        var summary = new ThermalSummary
        {
            DurationS = end,
            AmbientC = double.NaN,
            PeakJunctionC = peak,
            MaxJunctionC = max,
            ThrottleC = Dbl(t, "limit_c"),
            ExceededMaxJunction = thermal.ExceededMaxJunction,
            TimeToFirstThrottleS = changes.Where(c => c.ToMhz < c.FromMhz).Select(c => (double?)c.TimeS).FirstOrDefault(),
            SustainedInferencesPerSecond = double.NaN,
            ThrottleEvents = [.. changes.Select(c => new DvfsChange(c.TimeS, JunctionAt(c.TimeS), c.FromMhz, c.ToMhz))],
            TimeAtEachStep = [.. steps.Select((f, i) => new DvfsResidency(f, double.NaN, timeAt[i]))],
        };
        return (thermal, summary);
    }

    /// <summary>The frequency a /1 throttle reason names: "throttle to 800 MHz" or "recover to 1000 MHz".</summary>
    private static double TargetMhz(string reason)
    {
        string[] words = reason.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 4 && words[0] is "throttle" or "recover" && words[1] == "to" && words[3] == "MHz"
            && double.TryParse(words[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz)
            ? mhz
            : throw new RunReportFormatException($"thermal.throttles[].reason '{reason}' does not name the new clock ('throttle to N MHz' or 'recover to N MHz')");
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

    /// <summary>/1 wrote non-finite values as null; they read back as NaN.</summary>
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
