using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Validation;
using SiliconSim.Config;
using SiliconSim.Config.Topology;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Reporting;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim run [--config PRESET|FILE] [--model MODEL|CASE_DIR | --topology FILE.csv] [--input FILE] [--out DIR]`:
/// executes a model on the modeled accelerator (values under the array's numerics, compared with the golden when the
/// model comes with one) and times it layer by layer. With no arguments: the default preset on the bundled digits CNN.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string?>("--config") { Description = $"An accelerator config (YAML file) or a preset name from configs/presets (default {PresetCatalog.DefaultPreset})." };
        var model = new Option<string?>("--model") { Description = $"An .onnx model, or an ONNX test-case folder (model.onnx + test_data_set_0) whose inputs and golden outputs are used (default {WorkloadCatalog.DefaultModel})." };
        var topology = new Option<string?>("--topology") { Description = "A SCALE-Sim topology CSV to time instead of a model (timing only, no values)." };
        var input = new Option<string?>("--input") { Description = "The model's input (TensorProto .pb or .npy); default the test case's test_data_set_0." };
        var output = new Option<string?>("--out") { Description = "Where to write report.json, layers.csv, the charts and report.html (default reports/<config>_<model>)." };
        var batch = new Option<int>("--batch") { Description = "Batch size bound to symbolic input dimensions when no input is given (timing only).", DefaultValueFactory = _ => 1 };
        var thermal = new Option<double>("--thermal-seconds") { Description = "Seconds of back-to-back inference to drive the thermal model with (0 turns it off).", DefaultValueFactory = _ => 600 };
        var set = new Option<string[]>("--set") { Description = "Override a config field before validation, PATH=VALUE with PATH as in `siliconsim describe` (e.g. thermal.ambient_c=85, memory.buffers[0].capacity_kib=64); repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", "Run a model on a modeled accelerator: values, cycles, traffic, energy and temperature.") { config, model, topology, input, output, batch, thermal, set };
        command.SetAction(parse => Execute(
            new RunOptions(parse.GetValue(config), parse.GetValue(model), parse.GetValue(topology), parse.GetValue(input), parse.GetValue(output), parse.GetValue(batch), parse.GetValue(thermal), [.. parse.GetValue(set) ?? []]),
            stdout,
            stderr));
        return command;
    }

    private static int Execute(RunOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (options.Model is not null && options.Topology is not null)
        {
            throw new UserInputException("--topology", "give either --model or --topology, not both");
        }

        if (options.Batch <= 0)
        {
            throw new UserInputException("--batch", $"must be a positive integer, got {options.Batch}");
        }

        ConfigLoadResult loaded = PresetCatalog.Load(options.Config, options.Overrides);
        if (!loaded.Success)
        {
            foreach (var d in loaded.Diagnostics)
            {
                stderr.WriteLine($"siliconsim: error: {d}");
            }

            return CliApp.BadInput;
        }

        AcceleratorSpec spec = loaded.Spec!;
        string configPath = PresetCatalog.Resolve(options.Config ?? PresetCatalog.DefaultPreset)!;
        return options.Topology is not null
            ? RunTopology(options, spec, loaded, configPath, stdout, stderr)
            : RunModel(options, spec, loaded, configPath, stdout, stderr);
    }

    private static int RunTopology(RunOptions options, AcceleratorSpec spec, ConfigLoadResult loaded, string configPath, TextWriter stdout, TextWriter stderr)
    {
        string path = options.Topology!;
        if (!File.Exists(path))
        {
            throw new UserInputException(path, "no such file");
        }

        ImmutableArray<MatrixLayer> layers;
        try
        {
            layers = ScaleSimTopologyReader.Parse(File.ReadAllText(path), path);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"siliconsim: error: {e.Message}");
            return CliApp.BadInput;
        }

        string name = Path.GetFileNameWithoutExtension(path);
        PerformanceOutcome outcome = PerformanceModel.Evaluate(spec, [.. layers.Cast<LayerWork>()], name, 1);
        return Finish(outcome, loaded, configPath, path, [], "timing only (topology)", options, stdout, stderr);
    }

    private static int RunModel(RunOptions options, AcceleratorSpec spec, ConfigLoadResult loaded, string configPath, TextWriter stdout, TextWriter stderr)
    {
        string target = options.Model ?? WorkloadCatalog.Find(WorkloadCatalog.DefaultModel)
            ?? throw new UserInputException(WorkloadCatalog.DefaultModel, "the bundled demo model was not found above the current directory; pass --model");
        (string modelPath, string? caseFolder) = Directory.Exists(target)
            ? (Path.Combine(target, "model.onnx"), target)
            : (target, null);
        ModelGraph graph = ModelFiles.LoadModel(modelPath);
        ModelGraph lowered = AcceleratorLowering.Lower(graph, spec);
        var unsupported = GraphExecutor.FindUnsupported(lowered);
        if (unsupported.Count > 0)
        {
            throw new UserInputException(modelPath, UnsupportedNode.Describe(unsupported));
        }

        var runtimeInputs = graph.RuntimeInputs.ToList();
        var inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        var golden = new List<TensorValue>();
        string? dataSet = caseFolder is null ? null : new TestCase(Path.GetFileName(Path.GetFullPath(caseFolder)), caseFolder).DataSets is [var first, ..] ? first : null;
        if (options.Input is not null)
        {
            if (runtimeInputs.Count != 1)
            {
                throw new UserInputException("--input", $"the model has {runtimeInputs.Count} inputs; give a test-case folder instead");
            }

            inputs[runtimeInputs[0].Name] = ModelFiles.LoadTensor(options.Input);
        }
        else if (dataSet is not null)
        {
            var inputFiles = TestCase.NumberedFiles(dataSet, "input_");
            if (inputFiles.Count != runtimeInputs.Count)
            {
                throw new UserInputException(dataSet, $"holds {inputFiles.Count} input_N.pb files but the model has {runtimeInputs.Count} inputs");
            }

            for (int i = 0; i < inputFiles.Count; i++)
            {
                inputs[runtimeInputs[i].Name] = ModelFiles.LoadTensor(inputFiles[i]);
            }

            golden.AddRange(TestCase.NumberedFiles(dataSet, "output_").Select(ModelFiles.LoadTensor));
        }

        Dictionary<string, int[]> shapes;
        var comparisons = ImmutableArray<OutputDrift>.Empty;
        string values;
        int batch;
        if (inputs.Count > 0)
        {
            foreach (ValueInfo i in runtimeInputs)
            {
                CheckInput(i, inputs[i.Name], options.Input ?? dataSet!);
            }

            var execution = spec.Array.Numerics.ToExecutionOptions();

            // The shapes the run actually produced time the layers: they cover values shape inference has no rule for.
            shapes = inputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray(), StringComparer.Ordinal);
            foreach (var (name, value) in lowered.Initializers)
            {
                shapes[name] = [.. value.Shape];
            }

            IReadOnlyList<(string Name, TensorValue Value)> actual;
            try
            {
                actual = GraphExecutor.Run(lowered, inputs, (name, value) => shapes[name] = [.. value.Shape], execution);
            }
            catch (ExecutionException e)
            {
                throw new UserInputException(modelPath, e.Message);
            }

            batch = inputs.Values.First().Rank > 0 ? inputs.Values.First().Shape[0] : 1;
            if (golden.Count == actual.Count)
            {
                comparisons = DriftReport.Compare(actual, golden).Outputs;
                long mismatches = comparisons.Sum(c => c.Problem is null ? c.Mismatches : c.Elements);
                values = mismatches == 0 ? "bit-exact against the golden"
                    : spec.Array.Numerics.IsReference ? $"{mismatches} elements differ from the golden"
                    : $"drift under the array's numerics ({spec.Array.Numerics.ToMatrixNumerics()}): {mismatches} elements differ from ONNX Runtime's golden";
            }
            else
            {
                values = "executed (no golden to compare with)";
            }
        }
        else
        {
            shapes = ShapeInference.InputShapes(graph, options.Batch);
            batch = options.Batch;
            values = "timing only (no input: pass --input or a test-case folder to execute)";
        }

        var layers = (inputs.Count > 0 ? LayerExtractor.ExtractWithShapes(lowered, shapes) : LayerExtractor.Extract(lowered, shapes)).Layers;
        string modelName = caseFolder is not null ? Path.GetFileName(Path.GetFullPath(caseFolder)) : Path.GetFileNameWithoutExtension(modelPath);
        PerformanceOutcome outcome = PerformanceModel.Evaluate(spec, layers, modelName, batch, new OperandTypes(lowered));
        return Finish(outcome, loaded, configPath, modelPath, comparisons, values, options, stdout, stderr);
    }

    private static void CheckInput(ValueInfo declared, TensorValue given, string source)
    {
        if (declared.Type != given.Type)
        {
            throw new UserInputException(source, $"input '{declared.Name}' must be {DataTypeInfo.Name(declared.Type)}, got {DataTypeInfo.Name(given.Type)}");
        }

        bool shapeOk = declared.Dims.Length == given.Rank
            && declared.Dims.Select((d, i) => d is null || d == given.Shape[i]).All(ok => ok);
        if (!shapeOk)
        {
            string want = "[" + string.Join(',', declared.Dims.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?")) + "]";
            throw new UserInputException(source, $"input '{declared.Name}' must have shape {want}, got {ShapeMath.Format(given.Shape.ToArray())}");
        }
    }

    private static int Finish(PerformanceOutcome outcome, ConfigLoadResult loaded, string configPath, string modelPath, ImmutableArray<OutputDrift> comparisons, string values, RunOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (!outcome.Success)
        {
            foreach (SimulationProblem p in outcome.Problems)
            {
                stderr.WriteLine($"siliconsim: error: {loaded.Diagnostic(p.ConfigPath, p.Message)}");
            }

            return CliApp.BadInput;
        }

        SimulationResult result = outcome.Result!;
        AcceleratorSpec spec = loaded.Spec!;
        RunTable.Print(result, values, comparisons, stdout);
        if (!options.Overrides.IsEmpty)
        {
            stdout.WriteLine($"config overrides: {string.Join(", ", options.Overrides)}");
        }

        // Interim (issue 12): the old steps assembled into the pipeline's RunResult until this command calls it.
        var (energy, thermal, summary) = RunExtras.Evaluate(result, spec, configPath, options.ThermalSeconds, stdout);
        long mismatches = comparisons.Sum(c => c.Problem is null ? c.Mismatches : c.Elements);
        var run = new RunResult
        {
            Model = result.Model,
            Values = comparisons.IsEmpty
                ? values.StartsWith("executed", StringComparison.Ordinal) ? ValuesOutcome.Executed : ValuesOutcome.TimingOnly
                : mismatches == 0 ? ValuesOutcome.BitExact : spec.Array.Numerics.IsReference ? ValuesOutcome.Mismatch : ValuesOutcome.Drift,
            Outputs = comparisons,
            Mismatches = mismatches,
            Numerics = spec.Array.Numerics.IsReference ? SimulationPipeline.ReferenceNumericsText : spec.Array.Numerics.ToMatrixNumerics().ToString(),
            ReferenceNumerics = spec.Array.Numerics.IsReference,
            Performance = result,
            Energy = energy,
            Thermal = thermal,
            ThermalSummary = summary,
        };
        var report = new RunReport
        {
            ToolVersion = ToolVersion(),
            ConfigPath = configPath,
            ConfigSha256 = Sha256(configPath),
            ConfigOverrides = options.Overrides,
            ModelPath = modelPath,
            ModelSha256 = Sha256(modelPath),
            Result = run,
        };
        string outDir = options.Out ?? Path.Combine("reports", $"{spec.Name}_{result.Model}");
        var written = RunReportFiles.Write(report, outDir);
        int charts = written.Count(p => p.EndsWith(".png", StringComparison.Ordinal));
        stdout.WriteLine($"wrote {Path.Combine(outDir, RunReportFiles.JsonFileName)}, {Path.Combine(outDir, RunReportFiles.CsvFileName)}, {Path.Combine(outDir, RunReportFiles.HtmlFileName)} and {charts} charts");
        return mismatches > 0 && spec.Array.Numerics.IsReference ? CliApp.Failures : CliApp.Success;
    }

    internal static string ToolVersion() =>
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed record RunOptions(string? Config, string? Model, string? Topology, string? Input, string? Out, int Batch, double ThermalSeconds, ImmutableArray<string> Overrides);
}
