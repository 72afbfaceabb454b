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
/// `siliconsim generate --model config.json|DIR --config PRESET|FILE [--prompt-tokens P] [--new-tokens D] [--batch B]
/// [--weights F] [--kv F] [--out DIR]`: times a prefill of P tokens and D decode steps of a decoder on the modeled
/// accelerator (docs/llm.md) and writes DIR/generate.json.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The preset when --config is absent: a phone NPU with LPDDR5X that multiplies every format generate offers.</summary>
    private const string DefaultPreset = "phone-npu";

    /// <summary>A config.json is a few kilobytes; anything this large is not one.</summary>
    private const long MaxConfigBytes = 4 << 20;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "A Hugging Face config.json (Llama, Mistral, Qwen2, Phi-3, Gemma), or a folder holding one.", Required = true };
        var config = new Option<string?>("--config") { Description = $"An accelerator config (YAML file) or a preset name from configs/presets (default {DefaultPreset}, an LLM-class part; the default `run` preset has no fp16 multipliers)." };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Tokens of the prompt (prefill).", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens to generate (decode steps).", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { Description = "Sequences generated together.", DefaultValueFactory = _ => 1 };
        var weights = new Option<string>("--weights") { Description = "Weight format: fp16, int8 (W8A8), int4 (W4A16, MatMulNBits), fp8, mxfp4, nvfp4.", DefaultValueFactory = _ => "int4" };
        var kv = new Option<string>("--kv") { Description = "KV-cache format: fp16, int8, fp8, fp4.", DefaultValueFactory = _ => "fp16" };
        var output = new Option<string?>("--out") { Description = "Where to write generate.json (default reports/<config>_<model>_generate)." };
        var set = new Option<string[]>("--set") { Description = "Override a config field, PATH=VALUE; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("generate", "Time an LLM's prefill and decode on a modeled accelerator: TTFT, tokens/s, joules per token.")
        {
            model, config, prompt, newTokens, batch, weights, kv, output, set,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(model)!, parse.GetValue(config), parse.GetValue(prompt), parse.GetValue(newTokens), parse.GetValue(batch),
            parse.GetValue(weights)!, parse.GetValue(kv)!, parse.GetValue(output), [.. parse.GetValue(set) ?? []], stdout, stderr));
        return command;
    }

    private static int Execute(string modelPath, string? configName, int prompt, int newTokens, int batch, string weights, string kv, string? outDir, ImmutableArray<string> overrides, TextWriter stdout, TextWriter stderr)
    {
        LlmWeightFormat weightFormat = ParseFormat<LlmWeightFormat>(weights, "--weights");
        KvCacheFormat kvFormat = ParseFormat<KvCacheFormat>(kv, "--kv");
        (string configPath, DecoderShape shape) = LoadShape(modelPath);
        HardwareConfig config = HardwareConfig.Load(configName ?? DefaultPreset, overrides);
        string name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath))) is { Length: > 0 } folder ? folder : shape.Architecture;
        var request = new GenerationRequest
        {
            Model = name,
            Shape = shape,
            PromptTokens = prompt,
            NewTokens = newTokens,
            Batch = batch,
            Weights = weightFormat,
            Kv = kvFormat,
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
    private static T ParseFormat<T>(string text, string option)
        where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault()
            ?? throw new UserInputException(option, $"'{text}' is not a format; use one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>The config.json named (or inside the folder named) and the decoder shape it describes.</summary>
    private static (string Path, DecoderShape Shape) LoadShape(string modelPath)
    {
        string path = Directory.Exists(modelPath) ? Path.Combine(modelPath, "config.json") : modelPath;
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException(modelPath, "generate times a decoder from its Hugging Face config.json (or a folder holding one); ONNX decoders run with `siliconsim run` and `validate`");
        }

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
            return (path, HuggingFaceConfig.Parse(text));
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

        stdout.WriteLine(string.Create(c, $"TTFT {Seconds(r.TtftS)}, TPOT {Seconds(r.TpotS)}, {r.TokensPerS:0.0} tokens/s, {r.EnergyPerTokenJ * 1e3:0.000} mJ per token, {Bytes(r.DramReadBytesPerToken)} DRAM read per token (decode steps {string.Join(", ", r.SampledSteps)} timed, the rest interpolated)"));
    }

    private static string Seconds(double s) => s >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{s:0.000} s") : s >= 1e-3 ? string.Create(CultureInfo.InvariantCulture, $"{s * 1e3:0.000} ms") : string.Create(CultureInfo.InvariantCulture, $"{s * 1e6:0.0} us");

    private static string Joules(double j) => j >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{j:0.000} J") : string.Create(CultureInfo.InvariantCulture, $"{j * 1e3:0.000} mJ");

    private static string Bytes(double b) => b >= 1e9 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e9:0.00} GB") : b >= 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e6:0.00} MB") : string.Create(CultureInfo.InvariantCulture, $"{b / 1e3:0.0} kB");
}
