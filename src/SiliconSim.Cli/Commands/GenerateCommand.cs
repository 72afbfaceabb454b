using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Config.Files;
using SiliconSim.Config.Llm;
using SiliconSim.Reporting.Llm;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Llm;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim generate --model config.json|DIR|MODEL.onnx --config PRESET|FILE [--prompt-tokens P] [--new-tokens D]
/// [--batch B] [--weights F] [--kv F] [--prompt-ids IDS] [--out DIR]`: times a prefill of P tokens and D decode steps of
/// a decoder on the modeled accelerator (docs/llm.md) and writes DIR/generate.json; with an ONNX decoder and
/// --prompt-ids it also executes the values and reports the generated tokens.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The preset when --config is absent: a phone NPU with LPDDR5X that multiplies every format generate offers.</summary>
    internal const string DefaultPreset = "phone-npu";

    /// <summary>A config.json is a few kilobytes; anything this large is not one.</summary>
    private const long MaxConfigBytes = 4 << 20;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "A Hugging Face config.json (Llama, Mistral, Qwen2, Phi-3, Gemma), a folder holding one, or an ONNX decoder exported by ONNX Runtime GenAI's model builder (its external weights may be absent unless --prompt-ids asks to execute it).", Required = true };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "With an ONNX decoder: execute its values on the prompt's token ids (comma-separated for one sequence, or an int64 .npy [batch, tokens]) and report the greedy tokens; sets --prompt-tokens and --batch." };
        var config = new Option<string?>("--config") { Description = $"An accelerator config (YAML file) or a preset name from configs/presets (default {DefaultPreset}, an LLM-class part; the default `run` preset has no fp16 multipliers)." };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Tokens of the prompt (prefill).", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens to generate (decode steps).", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { Description = "Sequences generated together.", DefaultValueFactory = _ => 1 };
        var weights = new Option<string?>("--weights") { Description = "Weight format: fp16, int8 (W8A8), int4 (W4A16, MatMulNBits), fp8, mxfp4, nvfp4 (default int4, or an ONNX decoder's own)." };
        var kv = new Option<string>("--kv") { Description = "KV-cache format: fp16, int8, fp8, fp4.", DefaultValueFactory = _ => "fp16" };
        var output = new Option<string?>("--out") { Description = "Where to write generate.json (default reports/<config>_<model>_generate)." };
        var set = new Option<string[]>("--set") { Description = "Override a config field, PATH=VALUE; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var threads = ThreadsOption.Create();
        var command = new Command("generate", "Time an LLM's prefill and decode on a modeled accelerator: TTFT, tokens/s, joules per token.")
        {
            model, config, prompt, newTokens, batch, weights, kv, output, set, promptIds, threads,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(model)!, parse.GetValue(config), parse.GetValue(prompt), parse.GetValue(newTokens), parse.GetValue(batch),
            parse.GetValue(weights), parse.GetValue(kv)!, parse.GetValue(output), [.. parse.GetValue(set) ?? []], parse.GetValue(promptIds), ThreadsOption.Parallelism(parse, threads), stdout, stderr));
        return command;
    }

    private static int Execute(string modelPath, string? configName, int prompt, int newTokens, int batch, string? weights, string kv, string? outDir, ImmutableArray<string> overrides, string? promptIdsText, Numerics.Parallelism parallelism, TextWriter stdout, TextWriter stderr)
    {
        KvCacheFormat kvFormat = ParseFormat<KvCacheFormat>(kv, "--kv");
        bool onnx = modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        if (promptIdsText is not null && !onnx)
        {
            throw new UserInputException("--prompt-ids", "executes an ONNX decoder's values; --model names a config.json, which has no weights");
        }

        (string configPath, DecoderShape shape, LlmWeightFormat? ownFormat) = onnx ? LoadOnnxShape(modelPath) : LoadShape(modelPath);
        LlmWeightFormat weightFormat = weights is null ? ownFormat ?? LlmWeightFormat.Int4 : ParseFormat<LlmWeightFormat>(weights, "--weights");
        IReadOnlyList<long[]>? ids = promptIdsText is null ? null : TokenIds(promptIdsText, "--prompt-ids");
        HardwareConfig config = HardwareConfig.Load(configName ?? DefaultPreset, overrides);
        string name = onnx ? Path.GetFileNameWithoutExtension(modelPath)
            : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath))) is { Length: > 0 } folder ? folder : shape.Architecture;
        var request = new GenerationRequest
        {
            Model = name,
            Shape = shape,
            PromptTokens = ids?[0].Length ?? prompt,
            NewTokens = newTokens,
            Batch = ids?.Count ?? batch,
            Weights = weightFormat,
            Kv = kvFormat,
            Graph = ids is null ? null : ModelFiles.LoadModel(modelPath),
            PromptIds = ids,
            Execution = new Graph.Execution.ExecutionOptions { Parallelism = parallelism },
        };
        if (request.Problem() is { } problem)
        {
            int colon = problem.IndexOf(':', StringComparison.Ordinal);
            throw colon > 0 && problem.StartsWith("--", StringComparison.Ordinal)
                ? new UserInputException(problem[..colon], problem[(colon + 2)..])
                : new UserInputException(configPath, problem);
        }

        outDir ??= Path.Combine("reports", $"{config.Spec.Name}_{name}_generate");
        OutputFolder.Prepare(outDir, "--out");
        var (result, problems) = GenerationModel.Evaluate(request, config.Spec, config.EnergyTable);
        if (result is null)
        {
            // Every block repeats its layers' problem; three lines say it, a count says how often.
            foreach (SimulationProblem p in problems.Take(3))
            {
                stderr.WriteLine($"siliconsim: error: {config.Locate(p)}");
            }

            if (problems.Length > 3)
            {
                stderr.WriteLine($"siliconsim: error: ... and {problems.Length - 3} more layers with problems like these");
            }

            return CliApp.BadInput;
        }

        Print(result, stdout);
        string json = Path.Combine(outDir, GenerationJson.FileName);
        File.WriteAllText(json, GenerationJson.Render(result, RunCommand.ToolVersion()));
        stdout.WriteLine($"wrote {json}");
        return CliApp.Success;
    }

    /// <summary>The format named <paramref name="text"/> (case ignored; never a number, as Enum.TryParse would allow).</summary>
    internal static T ParseFormat<T>(string text, string option)
        where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault()
            ?? throw new UserInputException(option, $"'{text}' is not a format; use one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>An ONNX decoder's shape and weight format, from its structure alone (no tensor data is read).</summary>
    private static (string Path, DecoderShape Shape, LlmWeightFormat? Format) LoadOnnxShape(string modelPath)
    {
        try
        {
            OnnxDecoder decoder = OnnxDecoderShape.Read(ModelFiles.LoadModelProto(modelPath));
            return (modelPath, decoder.Shape, decoder.Weights);
        }
        catch (FormatException e)
        {
            throw new UserInputException(modelPath, e.Message);
        }
    }

    /// <summary>Token ids: comma-separated integers (one sequence) or an int64/int32 .npy of [batch, tokens] or [tokens];
    /// <paramref name="option"/> names the option in a message about the comma-separated form.</summary>
    internal static IReadOnlyList<long[]> TokenIds(string text, string option)
    {
        if (text.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            Numerics.TensorValue t = ModelFiles.LoadTensor(text);
            long[] flat = t.Data switch
            {
                long[] l => l,
                int[] i => Array.ConvertAll(i, v => (long)v),
                _ => throw new UserInputException(text, $"token ids must be int64 or int32, got {t}"),
            };
            if (t.Rank is not (1 or 2) || flat.Length == 0)
            {
                throw new UserInputException(text, $"token ids must be [tokens] or [batch, tokens], got {t}");
            }

            int width = t.Shape[t.Rank - 1];
            return [.. flat.Chunk(width)];
        }

        var ids = new List<long>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                throw new UserInputException(option, $"'{part}' is not a token id (a non-negative integer); give comma-separated ids or a .npy file");
            }

            ids.Add(id);
        }

        return [ids.ToArray()];
    }

    /// <summary>The config.json named (or inside the folder named) and the decoder shape it describes.</summary>
    private static (string Path, DecoderShape Shape, LlmWeightFormat? Format) LoadShape(string modelPath)
    {
        string path = Directory.Exists(modelPath) ? Path.Combine(modelPath, "config.json") : modelPath;

        string text;
        try
        {
            text = InputFiles.ReadAllText(path, MaxConfigBytes);
        }
        catch (IOException e)
        {
            throw new UserInputException(path, e.Message);
        }

        try
        {
            return (path, HuggingFaceConfig.Parse(text), null);
        }
        catch (HuggingFaceConfigException e)
        {
            throw new UserInputException(path, e.Message);
        }
    }

    private static void Print(GenerationResult r, TextWriter stdout)
    {
        GenerationRequest q = r.Request;
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"{q.Model} ({q.Shape.Architecture}, {q.Shape.ParameterCount / 1e9:0.00} B parameters) on {r.Accelerator}: weights {LlmFormats.Name(q.Weights)} ({r.WeightBytes / 1e9:0.00} GB), KV cache {LlmFormats.Name(q.Kv)}, batch {q.Batch}, {q.PromptTokens} prompt + {q.NewTokens} new tokens"));
        stdout.WriteLine(string.Create(c, $"  {"phase",-8} {"time",12} {"energy",12} {"DRAM read",12} {"weights",12} {"KV read",12} {"KV cache",12} {"ops/byte",9}  bound"));
        foreach ((string name, PhaseMetrics p) in new[] { ("prefill", r.Prefill), ("decode", r.Decode) })
        {
            stdout.WriteLine(string.Create(c, $"  {name,-8} {Seconds(p.Seconds),12} {Joules(p.EnergyJ),12} {Bytes(p.DramReadBytes),12} {Bytes(p.WeightReadBytes),12} {Bytes(p.KvReadBytes),12} {Bytes(p.KvCacheBytes),12} {p.OpsPerDramByte,9:0.0}  {(r.IsMemoryBound(p) ? "memory" : "compute")}"));
        }

        if (r.Generated is { } g)
        {
            for (int b = 0; b < g.Tokens.Length; b++)
            {
                stdout.WriteLine(string.Create(c, $"  sequence {b}: generated {string.Join(' ', g.Tokens[b])} (greedy; values executed with ONNX Runtime's CPU arithmetic, {g.Steps} graph runs)"));
            }
        }

        stdout.WriteLine(string.Create(c, $"TTFT {Seconds(r.TtftS)}, TPOT {Seconds(r.TpotS)}, {r.TokensPerS:0.0} tokens/s, {r.EnergyPerTokenJ * 1e3:0.000} mJ per token, {Bytes(r.DramReadBytesPerToken)} DRAM read per token (decode steps {string.Join(", ", r.SampledSteps)} timed, the rest interpolated)"));
    }

    private static string Seconds(double s) => s >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{s:0.000} s") : s >= 1e-3 ? string.Create(CultureInfo.InvariantCulture, $"{s * 1e3:0.000} ms") : string.Create(CultureInfo.InvariantCulture, $"{s * 1e6:0.0} us");

    private static string Joules(double j) => j >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{j:0.000} J") : string.Create(CultureInfo.InvariantCulture, $"{j * 1e3:0.000} mJ");

    private static string Bytes(double b) => b >= 1e9 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e9:0.00} GB") : b >= 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e6:0.00} MB") : string.Create(CultureInfo.InvariantCulture, $"{b / 1e3:0.0} kB");
}
