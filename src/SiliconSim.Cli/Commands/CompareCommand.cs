using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Validation;
using SiliconSim.Config;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Hardware.Energy;
using SiliconSim.Numerics;
using SiliconSim.Reporting;
using SiliconSim.Reporting.Html;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim compare --model FP32.onnx --calib X.npy --test X.npy --labels Y.npy --formats fp32,int8
/// [--config PRESET|FILE | --config FMT=PRESET|FILE,...] [--out DIR]`: quantizes the float model to each format in
/// process, executes the test set through SiliconSim (top-1 accuracy, agreement with fp32's top-1), and times and
/// prices one inference (batch 1) on the accelerator. fp32 is the accuracy reference only: no array operand type is
/// float32, so its row has no latency or energy. fp8/mxfp4/nvfp4 run on the array's own low-precision MACs
/// (<see cref="LowPrecisionArrayMapping"/>): the weights as the quantizer wrote them, the activations quantized by the
/// array to the same element type, so their accuracy is the hardware's, not a float simulation's. A model whose inputs
/// are a decoder's (input_ids, past_key_values.N) is compared on `--tokens` instead (<see cref="CompareDecoder"/>):
/// next-token agreement with fp32, tokens/s and joules per token.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Formats the in-process quantizer produces today (plus the float reference).</summary>
    private static readonly string[] s_formats = ["fp32", "int8", "fp8", "mxfp4", "nvfp4"];

    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "The float32 .onnx model: a CNN or MLP with one float input, or a decoder wired as ONNX Runtime GenAI's model builder wires one (input_ids, attention_mask, past_key_values.N.key/value).", Required = true };
        var calib = new Option<string?>("--calib") { Description = "CNN/MLP: calibration inputs (.npy or .pb) with the model input's shape." };
        var test = new Option<string?>("--test") { Description = "CNN/MLP: test inputs (.npy or .pb), one sample per row of the first axis." };
        var labels = new Option<string?>("--labels") { Description = "CNN/MLP: test labels, a 1-D integer .npy, one per test sample." };
        var tokens = new Option<string?>("--tokens") { Description = "Decoder: the token set, an int64/int32 .npy [sequences, tokens] or comma-separated ids for one sequence; each format's next token at every position is compared with fp32's (teacher-forced)." };
        var formats = new Option<string?>("--formats") { Description = $"Comma-separated formats. CNN/MLP: {string.Join(", ", s_formats)} (default fp32,int8). Decoder: {string.Join(", ", CompareDecoder.Formats)} (generate's --weights names: int8 is W8A8, int4 W4A16 MatMulNBits; default all)." };
        var config = new Option<string?>("--config") { Description = $"One accelerator config (preset or YAML) for every format, or FMT=CONFIG pairs separated by commas (default {PresetCatalog.DefaultPreset}; for a decoder {GenerateCommand.DefaultPreset})." };
        var kv = new Option<string?>("--kv") { Description = "Decoder: the KV-cache format the generation is timed with: fp16, int8, fp8, fp4 (default fp16; the agreement runs a prefill, whose attention reads the fresh keys and values)." };
        var promptTokens = new Option<int?>("--prompt-tokens") { Description = "Decoder: prompt tokens of the timed generation (default: the token set's sequence length)." };
        var newTokens = new Option<int?>("--new-tokens") { Description = "Decoder: tokens generated in the timed generation (default 128)." };
        var output = new Option<string?>("--out") { Description = "Where to write compare.csv and compare.json (default reports/compare_<model>)." };
        var maxMemory = MaxMemoryOption.Create();
        var threads = ThreadsOption.Create();
        var command = new Command("compare", "Compare numeric formats on one model: accuracy, latency, energy per inference, EDP; on a decoder next-token agreement, tokens/s and joules per token.")
        {
            model, calib, test, labels, tokens, formats, config, kv, promptTokens, newTokens, output, maxMemory, threads,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!;
            (ModelGraph graph, Graph.Onnx.Proto.ModelProto proto) = ModelFiles.LoadModelWithProto(modelPath);
            MemoryBudget budget = MaxMemoryOption.Budget(parse, maxMemory);
            Parallelism parallelism = ThreadsOption.Parallelism(parse, threads);
            if (Simulation.Llm.DecoderFeeds.LooksLikeDecoder(graph))
            {
                RefuseOptions(parse, [calib, test, labels], $"is for a CNN or MLP; {modelPath} is a decoder (inputs input_ids and past_key_values.N), compared on --tokens");
                string tokenSet = parse.GetValue(tokens) ?? throw new UserInputException("--tokens", $"required: {modelPath} is a decoder, compared on a token set (an int64 .npy [sequences, tokens] or comma-separated ids)");
                return CompareDecoder.Execute(
                    new CompareDecoder.Arguments(modelPath, graph, proto, tokenSet, parse.GetValue(formats), parse.GetValue(config), parse.GetValue(output), parse.GetValue(kv), parse.GetValue(promptTokens), parse.GetValue(newTokens), budget, parallelism),
                    stdout);
            }

            RefuseOptions(parse, [tokens, kv, promptTokens, newTokens], $"is for a decoder (inputs input_ids and past_key_values.N); {modelPath} is compared on --calib, --test and --labels");
            return Execute(
                modelPath, graph, Required(parse, calib), Required(parse, test), Required(parse, labels),
                parse.GetValue(formats) ?? "fp32,int8", parse.GetValue(config), parse.GetValue(output), budget, parallelism, stdout);
        });
        return command;
    }

    /// <summary>Refuses the first of <paramref name="options"/> given, naming it.</summary>
    private static void RefuseOptions(ParseResult parse, Option[] options, string why)
    {
        if (options.FirstOrDefault(o => parse.GetResult(o) is not null) is { } given)
        {
            throw new UserInputException(given.Name, why);
        }
    }

    private static string Required(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) ?? throw new UserInputException(option.Name, "required for a CNN or MLP (a decoder, with inputs input_ids and past_key_values.N, takes --tokens instead)");

    private static int Execute(string modelPath, ModelGraph fp32, string calibPath, string testPath, string labelsPath, string formatList, string? configArg, string? outArg, MemoryBudget budget, Parallelism parallelism, TextWriter stdout)
    {
        string[] formats = [.. formatList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        foreach (string f in formats)
        {
            if (!s_formats.Contains(f, StringComparer.Ordinal))
            {
                throw new UserInputException("--formats", $"unknown format '{f}'; expected {string.Join(", ", s_formats)}");
            }
        }

        if (formats.Length == 0)
        {
            throw new UserInputException("--formats", "no format given");
        }

        Dictionary<string, string> configNames = ConfigsPerFormat(configArg, formats, PresetCatalog.DefaultPreset, referenceNeedsConfig: false);
        string outDir = outArg ?? Path.Combine("reports", "compare_" + WorkloadFiles.ModelName(modelPath));
        OutputFolder.Prepare(outDir, "--out");

        var runtimeInputs = fp32.RuntimeInputs.ToList();
        if (runtimeInputs.Count != 1 || runtimeInputs[0].Type != DataType.Float)
        {
            throw new UserInputException(modelPath, "compare needs a float32 model with exactly one float32 input");
        }

        // The fp32 row is the reference and every other format is quantized from it: a model already quantized would
        // be called fp32 and quantized twice.
        ValueInfo input = QuantizeCommand.CheckFloatModel(modelPath, fp32);
        TensorValue calibX = ModelFiles.LoadTensor(calibPath);
        CheckShape(calibPath, "calibration data", input, calibX);
        TensorValue testX = ModelFiles.LoadTensor(testPath);
        CheckShape(testPath, "test data", input, testX);
        TensorValue labelsT = ModelFiles.LoadTensor(labelsPath);
        if (labelsT.Rank != 1 || DataTypeInfo.IsFloat(labelsT.Type))
        {
            throw new UserInputException(labelsPath, $"labels must be a 1-D integer array, got {DataTypeInfo.Name(labelsT.Type)}{ShapeMath.Format(labelsT.Shape.ToArray())}");
        }

        if (labelsT.Shape[0] != testX.Shape[0])
        {
            throw new UserInputException(labelsPath, $"holds {labelsT.Shape[0]} labels, but the test set has {testX.Shape[0]} samples");
        }

        int[] labels = [.. Enumerable.Range(0, labelsT.Shape[0]).Select(i => (int)TensorComparison.ToDouble(labelsT, i))];

        // Every config first, so a format the array lacks fails before minutes of execution.
        var configs = new Dictionary<string, HardwareConfig>(StringComparer.Ordinal);
        var loaded = new Dictionary<string, HardwareConfig>(StringComparer.Ordinal);
        foreach (string f in formats.Where(f => f != "fp32"))
        {
            // One load per distinct config: every format usually names the same preset.
            if (!loaded.TryGetValue(configNames[f], out HardwareConfig? config))
            {
                config = HardwareConfig.Load(configNames[f]);
                loaded[configNames[f]] = config;
            }

            if (LowPrecisionMacType(f) is { } mac && !config.Spec.Array.OperandTypes.Contains(mac))
            {
                throw new UserInputException("--config", config.Loaded.Diagnostic("array.operand_types",
                    $"format {f} needs {DataTypeInfo.Name(mac)} MACs, but the array lists only [{string.Join(", ", config.Spec.Array.OperandTypes.Select(DataTypeInfo.Name))}] (a preset that has them: edge-npu-mx)").ToString());
            }

            configs[f] = config;
        }

        // The formats are independent (each quantizes, executes the test set and times one inference), so they run side
        // by side on the thread budget, each format's kernels on one thread; the rows keep the formats' order and every
        // bit is the same as one at a time.
        string modelName = WorkloadFiles.ModelName(modelPath);
        string[] ordered = [.. formats.OrderBy(f => f == "fp32" ? 0 : 1)];
        var results = new (int[] Top, RunResult? Result, HardwareConfig? Config)[ordered.Length];
        Parallelism kernels = parallelism.MaxThreads >= ordered.Length ? parallelism : Parallelism.Single;
        try
        {
            Parallel.For(0, ordered.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism.MaxThreads }, RunFormat);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first format's failure, as a one-at-a-time run would have reported it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        void RunFormat(int i)
        {
            string f = ordered[i];
            ModelGraph graph = f == "fp32" ? fp32 : Quantize(fp32, input, calibX, f);
            HardwareConfig? config = f == "fp32" ? null : configs[f];
            var workload = new LoadedWorkload(
                new WorkloadRequest { Name = modelName + "_" + f, Model = graph, Inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = testX }, MemoryBudget = budget, Parallelism = kernels },
                modelPath,
                testPath);
            int[] top = Classifier.TopOne(workload.Prepare(config?.Spec).Outputs[0].Value);
            if (config is null)
            {
                results[i] = (top, null, null);
                return;
            }

            // One inference (batch 1, so the run's energy is the inference's): the first test sample, timed with the shapes its execution produced.
            var one = workload with { Request = workload.Request with { Inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = FirstSample(testX) } } };
            RunOutcome outcome = SimulationPipeline.Evaluate(one.Prepare(config.Spec), config.Spec, config.EnergyTable, new EvaluationOptions { ThermalSeconds = 0 });
            if (!outcome.Success)
            {
                throw new UserInputException(config.ConfigPath, $"format {f}: " + string.Join("; ", outcome.Problems.Select(config.Locate)));
            }

            results[i] = (top, outcome.Result!, config);
        }

        int[]? fp32Top = ordered[0] == "fp32" ? results[0].Top : null;
        var rows = new List<CompareRow>();
        for (int i = 0; i < ordered.Length; i++)
        {
            (int[] top, RunResult? result, HardwareConfig? config) = results[i];
            double accuracy = top.Where((p, k) => p == labels[k]).Count() / (double)labels.Length;
            double? agreement = fp32Top is null ? null : top.Where((p, k) => p == fp32Top[k]).Count() / (double)labels.Length;
            rows.Add(result is null
                ? new CompareRow(ordered[i], "-", accuracy, agreement, null, null, null, null, null)
                : new CompareRow(ordered[i], config!.Spec.Name, accuracy, agreement, result.Performance.LatencySeconds, result.Energy.Total, result.Performance.Macs, result.Performance.TotalCycles, result.DramReadBytes + result.DramWriteBytes));
        }

        CompareRow? int8 = rows.FirstOrDefault(r => r.Format == "int8" && r.Energy is not null);
        Print(rows, int8, stdout);
        File.WriteAllText(Path.Combine(outDir, "compare.csv"), Csv(rows, int8));
        File.WriteAllText(Path.Combine(outDir, "compare.json"), Json(rows, int8));
        WriteReport(rows, int8, WorkloadFiles.ModelName(modelPath), outDir);
        stdout.WriteLine($"wrote {Path.Combine(outDir, "compare.csv")}, compare.json, formats.png/svg and report.html");
        return CliApp.Success;
    }

    /// <summary>The formats chart (energy per inference bars, accuracy markers) and a self-contained report.html.</summary>
    private static void WriteReport(List<CompareRow> rows, CompareRow? int8, string model, string outDir)
    {
        var priced = rows.Where(r => r.Energy is not null).Select(r => new Reporting.Charts.FormatPoint(r.Format, r.Energy!.TotalJ * 1e6, r.Accuracy)).ToList();
        List<RenderedChart> charts = priced.Count == 0 ? [] : [ChartFiles.Save(Reporting.Charts.FormatComparisonChart.Build(priced), outDir, "formats", Reporting.Charts.FormatComparisonChart.Title)];
        string[] columns = ["format", "config", "top-1", "agreement with fp32", "energy / inference (µJ)", "MAC (µJ)", "SRAM (µJ)", "DRAM (µJ)", "latency (µs)", "EDP (J·s)", "energy vs int8"];
        var table = rows.Select(r => (IReadOnlyList<string>)
        [
            r.Format, r.Config, F(100 * r.Accuracy, "F2") + " %", r.Agreement is double a ? F(100 * a, "F2") + " %" : "",
            F(r.Energy?.TotalJ * 1e6, "F4"), F(r.Energy?.MacJ * 1e6, "F4"), F(r.Energy?.SramJ * 1e6, "F4"), F(r.Energy?.DramJ * 1e6, "F4"),
            F(r.Latency * 1e6, "F2"), F(r.Edp, "E3"), F(Ratio(r.Energy?.TotalJ, int8?.Energy?.TotalJ), "F3"),
        ]).ToList();
        using var writer = new StreamWriter(Path.Combine(outDir, "report.html"));
        TablePage.Write($"{model}: numeric formats compared", [new TablePage.Table("Formats (one inference, batch 1)", columns, table)], charts, writer);
    }

    /// <summary>The config each format is timed on: one for all, or FMT=CONFIG pairs naming every timed format
    /// (<paramref name="referenceNeedsConfig"/>: fp32 is timed too, as a decoder's is).</summary>
    internal static Dictionary<string, string> ConfigsPerFormat(string? arg, string[] formats, string defaultPreset, bool referenceNeedsConfig)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (arg is null || !arg.Contains('=', StringComparison.Ordinal))
        {
            foreach (string f in formats)
            {
                result[f] = arg ?? defaultPreset;
            }

            return result;
        }

        foreach (string pair in arg.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                throw new UserInputException("--config", $"'{pair}' is not FORMAT=CONFIG");
            }

            string f = pair[..eq];
            if (!formats.Contains(f, StringComparer.Ordinal))
            {
                throw new UserInputException("--config", $"format '{f}' is not among --formats ({string.Join(",", formats)})");
            }

            result[f] = pair[(eq + 1)..];
        }

        var missing = formats.Where(f => (referenceNeedsConfig || f != "fp32") && !result.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw new UserInputException("--config", $"no config for format(s) {string.Join(", ", missing)}");
        }

        return result;
    }

    private static ModelGraph Quantize(ModelGraph fp32, ValueInfo input, TensorValue calib, string format) => format switch
    {
        // ORT quantize_static's default recipe (QDQ, u8 activations, s8 weights per tensor, MinMax), as `quantize` does.
        "int8" => StaticQuantizer.Quantize(
            fp32,
            [new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = calib }],
            new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.UInt8, WeightType = DataType.Int8, PerChannel = false, Calibration = CalibrationMethod.MinMax }),
        "fp8" => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.Fp8E4M3Fn, [new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = calib }]),
        "mxfp4" => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.MxFp4),
        // NVFP4 activations with a calibrated static tensor scale (TensorRT / Model Optimizer's recipe), as `quantize` writes them.
        "nvfp4" => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.NvFp4, [new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = calib }]),
        _ => throw new InvalidOperationException($"no quantizer for {format}"),
    };

    /// <summary>The MAC operand type a weight-only low-precision format needs on the array (null: int8, checked by the
    /// performance model against the quantized graph's own types).</summary>
    private static DataType? LowPrecisionMacType(string format) => format switch
    {
        "fp8" => DataType.Float8E4M3FN,
        "mxfp4" or "nvfp4" => DataType.Float4E2M1,
        _ => null,
    };

    /// <summary>The first sample of a batch (its first-axis slice, with the batch axis kept at 1).</summary>
    private static TensorValue FirstSample(TensorValue batch)
    {
        int length = batch.Length / batch.Shape[0];
        var data = Array.CreateInstance(batch.Data.GetType().GetElementType()!, length);
        Array.Copy(batch.Data, data, length);
        return TensorValue.Create(batch.Type, [1, .. batch.Shape.Skip(1)], data);
    }

    private static void CheckShape(string path, string what, ValueInfo input, TensorValue x)
    {
        string expected = input.DimsText;
        bool matches = x.Type == DataType.Float && x.Rank == input.Dims.Length && x.Rank > 0
            && input.Dims.Select((d, i) => d is null || d == x.Shape[i]).All(ok => ok);
        if (!matches)
        {
            throw new UserInputException(path, $"{what} is {DataTypeInfo.Name(x.Type)}{ShapeMath.Format(x.Shape.ToArray())}, but model input '{input.Name}' is float32{expected}");
        }

        QuantizeCommand.CheckSamples(path, what, x);
    }

    private static string F(double? v, string format = "G6") => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    private static double? Ratio(double? a, double? b) => a is double x && b is double y && y != 0 ? x / y : null;

    private static void Print(List<CompareRow> rows, CompareRow? int8, TextWriter stdout)
    {
        stdout.WriteLine($"{"format",-7} {"config",-12} {"top1",8} {"agree",8} {"energy/inf",12} {"latency",12} {"EDP (J*s)",12} {"E/E_int8",9}");
        foreach (CompareRow r in rows)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Format,-7} {r.Config,-12} {100 * r.Accuracy,7:F2}% {(r.Agreement is double a ? (100 * a).ToString("F2", CultureInfo.InvariantCulture) + "%" : "-"),8} {(r.Energy is null ? "-" : (r.Energy.TotalJ * 1e6).ToString("F3", CultureInfo.InvariantCulture) + " uJ"),12} {(r.Latency is double l ? (l * 1e6).ToString("F2", CultureInfo.InvariantCulture) + " us" : "-"),12} {(r.Edp is double e ? e.ToString("E3", CultureInfo.InvariantCulture) : "-"),12} {F(Ratio(r.Energy?.TotalJ, int8?.Energy?.TotalJ), "F3"),9}"));
        }
    }

    private static string Csv(List<CompareRow> rows, CompareRow? int8)
    {
        var sb = new StringBuilder("format,config,top1_accuracy,agreement_with_fp32,energy_per_inference_j,latency_s,edp,mac_j,accumulator_j,registers_j,sram_j,dram_j,vector_j,leakage_j,overhead_j,idle_j,macs,energy_vs_int8,latency_vs_int8,edp_vs_int8,cycles,dram_bytes\n");
        foreach (CompareRow r in rows)
        {
            EnergyBreakdown? e = r.Energy;
            sb.AppendJoin(',', r.Format, r.Config, F(r.Accuracy), F(r.Agreement), F(e?.TotalJ), F(r.Latency), F(r.Edp),
                F(e?.MacJ), F(e?.AccumulatorJ), F(e?.RegistersJ), F(e?.SramJ), F(e?.DramJ), F(e?.VectorJ), F(e?.LeakageJ), F(e?.OverheadJ), F(e?.IdleJ),
                r.Macs?.ToString(CultureInfo.InvariantCulture) ?? "",
                F(Ratio(e?.TotalJ, int8?.Energy?.TotalJ)), F(Ratio(r.Latency, int8?.Latency)), F(Ratio(r.Edp, int8?.Edp)),
                r.Cycles?.ToString(CultureInfo.InvariantCulture) ?? "", r.DramBytes?.ToString(CultureInfo.InvariantCulture) ?? "");
            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Json(List<CompareRow> rows, CompareRow? int8)
    {
        var list = rows.Select(r => new Dictionary<string, object?>
        {
            ["format"] = r.Format,
            ["config"] = r.Config,
            ["top1_accuracy"] = r.Accuracy,
            ["agreement_with_fp32"] = r.Agreement,
            ["energy_per_inference_j"] = r.Energy?.TotalJ,
            ["latency_s"] = r.Latency,
            ["edp"] = r.Edp,
            ["macs"] = r.Macs,
            ["cycles"] = r.Cycles,
            ["dram_bytes"] = r.DramBytes,
            ["breakdown_j"] = r.Energy is null ? null : new Dictionary<string, double>
            {
                ["mac"] = r.Energy.MacJ,
                ["accumulator"] = r.Energy.AccumulatorJ,
                ["registers"] = r.Energy.RegistersJ,
                ["sram"] = r.Energy.SramJ,
                ["dram"] = r.Energy.DramJ,
                ["vector"] = r.Energy.VectorJ,
                ["leakage"] = r.Energy.LeakageJ,
                ["overhead"] = r.Energy.OverheadJ,
                ["idle"] = r.Energy.IdleJ,
            },
            ["energy_vs_int8"] = Ratio(r.Energy?.TotalJ, int8?.Energy?.TotalJ),
            ["latency_vs_int8"] = Ratio(r.Latency, int8?.Latency),
            ["edp_vs_int8"] = Ratio(r.Edp, int8?.Edp),
        }).ToList();
        return JsonSerializer.Serialize(list, s_json);
    }

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private sealed record CompareRow(string Format, string Config, double Accuracy, double? Agreement, double? Latency, EnergyBreakdown? Energy, long? Macs, long? Cycles, long? DramBytes)
    {
        public double? Edp => Energy is not null && Latency is double l ? Energy.TotalJ * l : null;
    }
}
