using System.Globalization;
using System.Text;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.Reporting.Html;
using SiliconSim.Simulation.Llm;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim compare` on an fp32 ONNX decoder (inputs input_ids and past_key_values.N, as ONNX Runtime GenAI's model
/// builder wires one): each format's decoder is quantized in process (<see cref="DecoderQuantization"/>), the token set
/// runs through it teacher-forced and its next token at every position is compared with fp32's
/// (<see cref="NextTokenAgreement"/>); then a generation is timed and priced as `generate` times it
/// (<see cref="GenerationModel"/>: TTFT, tokens/s, joules per token). The format names are `generate --weights`' names.
/// </summary>
internal static class CompareDecoder
{
    /// <summary>The reference and the formats with a value path, in generate's vocabulary.</summary>
    internal static readonly string[] Formats = ["fp32", .. DecoderQuantization.Executable.Select(LlmFormats.Name)];

    /// <summary>New tokens timed when --new-tokens is absent: generate's default.</summary>
    private const int DefaultNewTokens = 128;

    /// <summary>What the user asked for.</summary>
    internal sealed record Arguments(
        string ModelPath, ModelGraph Fp32, ModelProto Proto, string TokensText, string? FormatList, string? ConfigArg, string? OutArg,
        string? Kv, int? PromptTokens, int? NewTokens, MemoryBudget Budget, Parallelism Parallelism);

    public static int Execute(Arguments a, TextWriter stdout)
    {
        string[] formats = [.. (a.FormatList ?? string.Join(',', Formats)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (formats.Length == 0)
        {
            throw new UserInputException("--formats", "no format given");
        }

        foreach (string f in formats)
        {
            if (!Formats.Contains(f, StringComparer.Ordinal))
            {
                throw new UserInputException("--formats", $"unknown format '{f}' for a decoder; expected {string.Join(", ", Formats)} (generate's --weights names; fp32 is the reference, timed as the decoder's own format)");
            }
        }

        KvCacheFormat kv = GenerateCommand.ParseFormat<KvCacheFormat>(a.Kv ?? "fp16", "--kv");
        OnnxDecoder decoder;
        try
        {
            decoder = OnnxDecoderShape.Read(a.Proto);
        }
        catch (FormatException e)
        {
            throw new UserInputException(a.ModelPath, e.Message);
        }

        IReadOnlyList<long[]> tokens = Tokens(a.TokensText, decoder.Shape);
        Dictionary<string, string> configNames = CompareCommand.ConfigsPerFormat(a.ConfigArg, formats, GenerateCommand.DefaultPreset, referenceNeedsConfig: true);
        string outDir = a.OutArg ?? Path.Combine("reports", "compare_" + WorkloadFiles.ModelName(a.ModelPath));
        OutputFolder.Prepare(outDir, "--out");

        // Every timing first: it takes milliseconds, and an array without a format's multipliers fails before the
        // token set runs.
        string name = WorkloadFiles.ModelName(a.ModelPath);
        var loaded = new Dictionary<string, HardwareConfig>(StringComparer.Ordinal);
        var timings = new Dictionary<string, (GenerationResult Result, HardwareConfig Config)>(StringComparer.Ordinal);
        foreach (string f in formats)
        {
            if (!loaded.TryGetValue(configNames[f], out HardwareConfig? config))
            {
                config = HardwareConfig.Load(configNames[f]);
                loaded[configNames[f]] = config;
            }

            timings[f] = (Time(name, decoder, f, tokens, a, kv, config), config);
        }

        // The formats are independent, so they run side by side on the thread budget, as for a CNN.
        string[] ordered = [.. formats.OrderBy(f => f == "fp32" ? 0 : 1)];
        IReadOnlyDictionary<string, TensorValue> calibration;
        try
        {
            calibration = DecoderFeeds.Prefill(a.Fp32, tokens);
        }
        catch (FormatException e)
        {
            throw new UserInputException(a.ModelPath, e.Message);
        }

        var predictions = new int[ordered.Length][][];
        var throughCache = new int[ordered.Length][][];
        Parallelism kernels = a.Parallelism.MaxThreads >= ordered.Length ? a.Parallelism : Parallelism.Single;
        var options = new ExecutionOptions { MemoryBudget = a.Budget, Parallelism = kernels };
        try
        {
            Parallel.For(0, ordered.Length, new ParallelOptions { MaxDegreeOfParallelism = a.Parallelism.MaxThreads }, i =>
            {
                string f = ordered[i];
                LlmWeightFormat? format = f == "fp32" ? null : Weights(f);
                try
                {
                    ModelGraph graph = format is { } w ? DecoderQuantization.Quantize(a.Fp32, w, calibration) : a.Fp32;
                    Hardware.Specs.AcceleratorSpec? spec = format is null ? null : timings[f].Config.Spec;
                    predictions[i] = NextTokenAgreement.Predictions(graph, tokens, spec, options);
                    throughCache[i] = NextTokenAgreement.PredictionsThroughCache(graph, tokens, spec, kv, options);
                }
                catch (Exception e) when (e is FormatException or ExecutionException or MemoryBudgetException)
                {
                    throw new UserInputException(a.ModelPath, $"format {f}: {e.Message}");
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        int[][]? reference = ordered[0] == "fp32" ? predictions[0] : null;
        var rows = ordered.Select((f, i) => new Row(
            f, timings[f].Config.Spec.Name, reference is null ? null : NextTokenAgreement.Compare(reference, predictions[i]),
            reference is null ? null : NextTokenAgreement.Compare(reference, throughCache[i]), timings[f].Result)).ToList();
        Print(rows, stdout);
        File.WriteAllText(Path.Combine(outDir, "compare.csv"), Csv(rows));
        File.WriteAllText(Path.Combine(outDir, "compare.json"), Json(rows));
        WriteReport(rows, name, tokens, outDir);
        stdout.WriteLine($"wrote {Path.Combine(outDir, "compare.csv")}, compare.json and report.html");
        return CliApp.Success;
    }

    /// <summary>The weight format a compared format name stands for.</summary>
    private static LlmWeightFormat Weights(string format) => GenerateCommand.ParseFormat<LlmWeightFormat>(format, "--formats");

    /// <summary>The token set: every id inside the vocabulary, every sequence within the model's positions.</summary>
    private static IReadOnlyList<long[]> Tokens(string text, DecoderShape shape)
    {
        string where = text.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? text : "--tokens";
        IReadOnlyList<long[]> tokens = GenerateCommand.TokenIds(text, "--tokens");
        foreach (long id in tokens.SelectMany(t => t))
        {
            if (id < 0 || id >= shape.VocabSize)
            {
                throw new UserInputException(where, $"token id {id} is outside the vocabulary [0, {shape.VocabSize})");
            }
        }

        if (tokens[0].Length > shape.MaxPositions)
        {
            throw new UserInputException(where, $"sequences of {tokens[0].Length} tokens exceed the model's {shape.MaxPositions} positions");
        }

        return tokens;
    }

    /// <summary>A generation timed as `generate` times it: one sequence, the format's weights (fp32: the decoder's own
    /// format, as generate without --weights), the KV-cache format.</summary>
    private static GenerationResult Time(string name, OnnxDecoder decoder, string format, IReadOnlyList<long[]> tokens, Arguments a, KvCacheFormat kv, HardwareConfig config)
    {
        var request = new GenerationRequest
        {
            Model = name,
            Shape = decoder.Shape,
            PromptTokens = a.PromptTokens ?? tokens[0].Length,
            NewTokens = a.NewTokens ?? DefaultNewTokens,
            Batch = 1,
            Weights = format == "fp32" ? decoder.Weights : Weights(format),
            Kv = kv,
        };
        if (request.Problem() is { } problem)
        {
            int colon = problem.IndexOf(':', StringComparison.Ordinal);
            throw colon > 0 && problem.StartsWith("--", StringComparison.Ordinal)
                ? new UserInputException(problem[..colon], problem[(colon + 2)..])
                : new UserInputException(a.ModelPath, problem);
        }

        var (result, problems) = GenerationModel.Evaluate(request, config.Spec, config.EnergyTable);
        if (result is null)
        {
            var lines = problems.Take(3).Select(p => $"format {format}: {config.Locate(p)}").ToList();
            if (problems.Length > 3)
            {
                lines.Add($"... and {problems.Length - 3} more layers with problems like these");
            }

            throw new UserInputException(lines);
        }

        return result;
    }

    private static string F(double? v, string format = "G6") => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    private static void Print(List<Row> rows, TextWriter stdout)
    {
        GenerationRequest q = rows[0].Timing.Request;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"next-token agreement with fp32 over {rows[0].Agreement?.Positions.ToString(CultureInfo.InvariantCulture) ?? "?"} positions (teacher-forced: one prefill; via KV: one token per step through the KV cache stored as {LlmFormats.Name(q.Kv)}); timed: {q.PromptTokens} prompt + {q.NewTokens} new tokens, batch 1, KV cache {LlmFormats.Name(q.Kv)}"));
        stdout.WriteLine($"{"format",-7} {"config",-12} {"timed as",-8} {"agree",8} {"via KV",8} {"tokens/s",10} {"mJ/token",10} {"TTFT",12} {"weights",10}");
        foreach (Row r in rows)
        {
            GenerationResult t = r.Timing;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Format,-7} {r.Config,-12} {LlmFormats.Name(t.Request.Weights),-8} {Percent(r.Agreement),8} {Percent(r.ThroughCache),8} {t.TokensPerS,10:F1} {t.EnergyPerTokenJ * 1e3,10:F4} {t.TtftS * 1e3,9:F3} ms {t.WeightBytes / 1e6,7:F3} MB"));
        }
    }

    private static string Percent(NextTokenAgreementResult? a) => a is null ? "-" : (100 * a.Fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string Csv(List<Row> rows)
    {
        var sb = new StringBuilder("format,config,weights_timed_as,kv_cache,next_token_agreement,agreeing_positions,positions,agreement_through_kv_cache,prompt_tokens,new_tokens,ttft_s,tpot_s,tokens_per_s,energy_per_token_j,prefill_energy_j,weight_bytes,dram_read_bytes_per_token\n");
        foreach (Row r in rows)
        {
            GenerationResult t = r.Timing;
            sb.AppendJoin(',', r.Format, r.Config, LlmFormats.Name(t.Request.Weights), LlmFormats.Name(t.Request.Kv), F(r.Agreement?.Fraction),
                r.Agreement?.Agreeing.ToString(CultureInfo.InvariantCulture) ?? "", r.Agreement?.Positions.ToString(CultureInfo.InvariantCulture) ?? "", F(r.ThroughCache?.Fraction),
                t.Request.PromptTokens.ToString(CultureInfo.InvariantCulture), t.Request.NewTokens.ToString(CultureInfo.InvariantCulture),
                F(t.TtftS), F(t.TpotS), F(t.TokensPerS), F(t.EnergyPerTokenJ), F(t.Prefill.EnergyJ), t.WeightBytes.ToString(CultureInfo.InvariantCulture), F(t.DramReadBytesPerToken));
            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Json(List<Row> rows)
    {
        var list = rows.Select(r => new Dictionary<string, object?>
        {
            ["format"] = r.Format,
            ["config"] = r.Config,
            ["weights_timed_as"] = LlmFormats.Name(r.Timing.Request.Weights),
            ["kv_cache"] = LlmFormats.Name(r.Timing.Request.Kv),
            ["next_token_agreement"] = r.Agreement?.Fraction,
            ["agreeing_positions"] = r.Agreement?.Agreeing,
            ["positions"] = r.Agreement?.Positions,
            ["agreement_through_kv_cache"] = r.ThroughCache?.Fraction,
            ["prompt_tokens"] = r.Timing.Request.PromptTokens,
            ["new_tokens"] = r.Timing.Request.NewTokens,
            ["ttft_s"] = r.Timing.TtftS,
            ["tpot_s"] = r.Timing.TpotS,
            ["tokens_per_s"] = r.Timing.TokensPerS,
            ["energy_per_token_j"] = r.Timing.EnergyPerTokenJ,
            ["prefill_energy_j"] = r.Timing.Prefill.EnergyJ,
            ["weight_bytes"] = r.Timing.WeightBytes,
            ["dram_read_bytes_per_token"] = r.Timing.DramReadBytesPerToken,
        }).ToList();
        return JsonSerializer.Serialize(list, s_json);
    }

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private static void WriteReport(List<Row> rows, string model, IReadOnlyList<long[]> tokens, string outDir)
    {
        string[] columns = ["format", "config", "weights timed as", "next-token agreement with fp32", "through the KV cache", "tokens/s", "mJ / token", "TTFT (ms)", "weights (MB)"];
        var table = rows.Select(r => (IReadOnlyList<string>)
        [
            r.Format, r.Config, LlmFormats.Name(r.Timing.Request.Weights), r.Agreement is { } g ? F(100 * g.Fraction, "F2") + " %" : "",
            r.ThroughCache is { } c ? F(100 * c.Fraction, "F2") + " %" : "",
            F(r.Timing.TokensPerS, "F1"), F(r.Timing.EnergyPerTokenJ * 1e3, "F4"), F(r.Timing.TtftS * 1e3, "F3"), F(r.Timing.WeightBytes / 1e6, "F3"),
        ]).ToList();
        string heading = string.Create(CultureInfo.InvariantCulture, $"Formats ({tokens.Count} x {tokens[0].Length} tokens teacher-forced; timed {rows[0].Timing.Request.PromptTokens} + {rows[0].Timing.Request.NewTokens} tokens, KV cache {LlmFormats.Name(rows[0].Timing.Request.Kv)})");
        using var writer = new StreamWriter(Path.Combine(outDir, "report.html"));
        TablePage.Write($"{model}: numeric formats compared on a decoder", [new TablePage.Table(heading, columns, table)], [], writer);
    }

    /// <param name="ThroughCache">Agreement when the tokens run one per step through the KV cache in the --kv format.</param>
    private sealed record Row(string Format, string Config, NextTokenAgreementResult? Agreement, NextTokenAgreementResult? ThroughCache, GenerationResult Timing);
}
