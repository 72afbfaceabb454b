using System.Collections.Immutable;
using System.CommandLine;
using System.Reflection;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Vectors;
using SiliconSim.Config;
using SiliconSim.Numerics;
using SiliconSim.Reporting;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Pipeline;

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
        var maxMemory = MaxMemoryOption.Create();
        var threads = ThreadsOption.Create();
        var kernel = KernelOptions.Kernel();
        var kernelTimeout = KernelOptions.Timeout();
        var command = new Command("run", "Run a model on a modeled accelerator: values, cycles, traffic, energy and temperature.") { config, model, topology, input, output, batch, thermal, set, maxMemory, threads, kernel, kernelTimeout };
        command.SetAction(parse => Execute(
            new RunOptions(parse.GetValue(config), parse.GetValue(model), parse.GetValue(topology), parse.GetValue(input), parse.GetValue(output), parse.GetValue(batch), parse.GetValue(thermal), [.. parse.GetValue(set) ?? []]) { MemoryBudget = MaxMemoryOption.Budget(parse, maxMemory), Parallelism = ThreadsOption.Parallelism(parse, threads), Kernels = ExternalKernel.Parse(parse.GetValue(kernel) ?? []), KernelTimeout = KernelOptions.TimeoutOf(parse, kernelTimeout) },
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

        ThermalSteps.CheckDuration(options.ThermalSeconds, "--thermal-seconds");
        HardwareConfig config = HardwareConfig.Load(options.Config, options.Overrides);
        ThermalSteps.Check(options.ThermalSeconds, config.Spec, "--thermal-seconds");
        string target = options.Topology ?? options.Model ?? WorkloadCatalog.Find(WorkloadCatalog.DefaultModel)
            ?? throw new UserInputException(WorkloadCatalog.DefaultModel, "the bundled demo model was not found above the current directory; pass --model");
        LoadedWorkload workload = WorkloadFiles.Load(target, options.Input, options.Batch);

        // The output folder is checked before any simulation, so a bad --out fails in a second.
        string? outDir = options.Out;
        if (outDir is not null)
        {
            OutputFolder.Prepare(outDir, "--out");
        }

        ExternalKernel? kernels = null;
        if (options.Kernels.Count > 0)
        {
            string folder = Path.Combine(outDir ?? Path.Combine("reports", $"{config.Spec.Name}_{workload.Request.Name}"), "kernels");
            kernels = KernelOptions.Create(options.Kernels, config.Spec, folder, options.KernelTimeout, workload);
        }

        workload = workload with { Request = workload.Request with { MemoryBudget = options.MemoryBudget, NodeOverride = kernels, Parallelism = options.Parallelism } };
        PreparedWorkload prepared = workload.Prepare(config.Spec);
        KernelOptions.CheckAllRan(kernels, workload.ModelPath);
        RunOutcome outcome = SimulationPipeline.Evaluate(prepared, config.Spec, config.EnergyTable, new EvaluationOptions { ThermalSeconds = options.ThermalSeconds });
        if (!outcome.Success)
        {
            foreach (SimulationProblem p in outcome.Problems)
            {
                stderr.WriteLine($"siliconsim: error: {config.Locate(p)}");
            }

            return CliApp.BadInput;
        }

        RunResult result = outcome.Result!;
        RunText.Print(result, workload.IsTopology, options.Overrides, stdout);
        KernelReportText.Print(kernels?.Reports ?? [], result.Outputs, stdout);
        outDir ??= Path.Combine("reports", $"{config.Spec.Name}_{result.Model}");
        var report = new RunReport
        {
            ToolVersion = ToolVersion(),
            ConfigPath = config.ConfigPath,
            ConfigSha256 = WorkloadFiles.Sha256(config.ConfigPath),
            ConfigOverrides = options.Overrides,
            ModelPath = workload.ModelPath,
            ModelSha256 = WorkloadFiles.Sha256(workload.ModelPath),
            Result = result,
        };
        var written = RunReportFiles.Write(report, outDir);
        int charts = written.Count(f => f.EndsWith(".png", StringComparison.Ordinal));
        stdout.WriteLine($"wrote {Path.Combine(outDir, RunReportFiles.JsonFileName)}, {Path.Combine(outDir, RunReportFiles.CsvFileName)}, {Path.Combine(outDir, RunReportFiles.HtmlFileName)} and {charts} charts");
        bool kernelMismatch = kernels?.Reports.Any(r => r.Mismatches > 0) == true;
        return result.Values == ValuesOutcome.Mismatch || kernelMismatch ? CliApp.Failures : CliApp.Success;
    }

    internal static string ToolVersion() =>
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private sealed record RunOptions(string? Config, string? Model, string? Topology, string? Input, string? Out, int Batch, double ThermalSeconds, ImmutableArray<string> Overrides)
    {
        public MemoryBudget MemoryBudget { get; init; } = MemoryBudget.Default;

        public Parallelism Parallelism { get; init; } = Parallelism.AllCores;

        public ImmutableDictionary<string, string> Kernels { get; init; } = ImmutableDictionary<string, string>.Empty;

        public TimeSpan KernelTimeout { get; init; } = ExternalKernel.DefaultTimeout;
    }
}
