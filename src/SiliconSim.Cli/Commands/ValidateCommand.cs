using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Validation;
using SiliconSim.Cli.Vectors;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim validate PATH... [--config PRESET|FILE] [--json FILE] [--trace-node NAME]... [--trace-all] [--trace-expect DIR]`:
/// runs ONNX test cases and compares with their goldens; the trace options also show one case's intermediate tensors.
/// With <c>--config</c> every case executes under the accelerator's array numerics and is timed on it (its total cycles
/// are printed). Under reference numerics the goldens must match bit for bit as without a config. Under non-reference
/// numerics (narrow accumulator, fixed-point requantizer) a difference is the expected answer: the case is marked
/// <c>DRIFT</c> with its mismatches, max abs diff and top-1 agreement, and does not count as a failure. Exit code 0 when
/// every case passed or drifted; 1 when a case failed or could not run (including a model the accelerator cannot
/// run: operand types or tiling, reported as the case's ERROR at the config's YAML line); 2 for a bad config or arguments.
/// </summary>
internal static class ValidateCommand
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create(TextWriter stdout)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "An ONNX test-case folder (model.onnx + test_data_set_*/), or a folder searched recursively for them.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<string?>("--json") { Description = "Also write the results as a JSON array to this file." };
        var labels = new Option<string?>("--labels") { Description = "A .npy of class labels: prints top-1 accuracy of SiliconSim's and the golden outputs." };
        var rtol = new Option<double?>("--rtol") { Description = "Relative tolerance for float outputs. Default: bit-exact, except ONNX backend node tests (producer 'backend-test'), which use their runner's rtol 1e-3." };
        var atol = new Option<double?>("--atol") { Description = "Absolute tolerance for float outputs. Default: bit-exact, except ONNX backend node tests, which use their runner's atol 1e-7." };

        var config = new Option<string?>("--config")
        {
            Description = "An accelerator config (YAML file) or preset name: execute under its array numerics (non-reference numerics report DRIFT, exit 0) and print each case's total cycles on it.",
        };

        var traceNode = new Option<string[]>("--trace-node")
        {
            Description = "Trace a node's outputs (node name in the original model) or a tensor (by name) on the case's first data set. Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var traceAll = new Option<bool>("--trace-all") { Description = "Trace every tensor the lowered graph computes." };
        var traceExpect = new Option<string?>("--trace-expect")
        {
            Description = "A folder of TensorProto .pb files (ONNX Runtime's intermediates, see README) to compare traced tensors with. Alone, traces the tensors it holds.",
        };

        var maxMemory = MaxMemoryOption.Create();
        var threads = ThreadsOption.Create();
        var kernel = KernelOptions.Kernel();
        var kernelTimeout = KernelOptions.Timeout();
        var command = new Command("validate", "Execute ONNX test cases bit-exactly as ONNX Runtime's CPU provider and compare with their expected outputs.")
        {
            paths, json, labels, rtol, atol, config, traceNode, traceAll, traceExpect, maxMemory, threads, kernel, kernelTimeout,
        };
        command.SetAction(parse =>
        {
            double? r = parse.GetValue(rtol);
            double? a = parse.GetValue(atol);
            if (r is < 0 or double.NaN || a is < 0 or double.NaN)
            {
                throw new UserInputException("--rtol/--atol", "tolerances must be non-negative numbers");
            }

            int[]? labelValues = parse.GetValue(labels) is { } labelPath ? LoadLabels(labelPath) : null;
            var options = new ValidateOptions(r, a, labelValues) { Hardware = LoadConfig(parse.GetValue(config)), MemoryBudget = MaxMemoryOption.Budget(parse, maxMemory), Parallelism = ThreadsOption.Parallelism(parse, threads), Kernels = ExternalKernel.Parse(parse.GetValue(kernel) ?? []), KernelTimeout = KernelOptions.TimeoutOf(parse, kernelTimeout) };
            var trace = new TraceOptions(parse.GetValue(traceNode) ?? [], parse.GetValue(traceAll), parse.GetValue(traceExpect));
            return Run(parse.GetValue(paths)!, parse.GetValue(json), options, stdout, trace);
        });
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, string? jsonPath, ValidateOptions options, TextWriter stdout, TraceOptions? trace = null)
    {
        var cases = TestCaseFinder.Find(paths);
        if (trace is { Enabled: true } && cases.Count != 1)
        {
            throw new UserInputException(string.Join(' ', paths), $"tracing needs exactly one test case, found {cases.Count}");
        }
        var validator = new CaseValidator(options);
        var results = new List<CaseResult>();
        int nameWidth = Math.Min(48, cases.Max(c => c.Name.Length));
        foreach (TestCase testCase in cases)
        {
            CaseResult result = validator.Validate(testCase);
            results.Add(result);
            stdout.WriteLine(FormatLine(result, nameWidth));
            foreach (KernelReport k in validator.TakeKernelReports())
            {
                stdout.WriteLine($"  kernel for {k.Layer}: {k.Command}");
                VectorCheckText.Print(k.Checks, stdout);
            }

            stdout.Flush();
        }

        int passed = results.Count(r => r.Status == CaseResult.Pass);
        int drifted = results.Count(r => r.Status == CaseResult.Drift);
        int failed = results.Count - passed - drifted;
        int traceDiffs = trace is { Enabled: true } ? CaseTracer.Trace(cases[0], trace, options, stdout) : 0;
        if (jsonPath is not null)
        {
            WriteJson(jsonPath, results);
        }

        stdout.WriteLine(drifted > 0 ? $"{passed} passed, {drifted} drifted, {failed} failed" : $"{passed} passed, {failed} failed");
        if (traceDiffs > 0)
        {
            stdout.WriteLine($"{traceDiffs} traced tensors differ from ONNX Runtime's");
        }

        return failed == 0 && traceDiffs == 0 ? 0 : 1;
    }

    private static string FormatLine(CaseResult r, int width)
    {
        string status = r.Status.ToUpperInvariant().PadRight(5);
        string name = r.Case.PadRight(width);
        if (r.Status == CaseResult.Error)
        {
            return $"{status} {name}  {r.Message}";
        }

        var parts = new List<string>
        {
            $"mismatches {r.Outputs.Sum(o => o.Mismatches)}/{r.Outputs.Sum(o => o.Elements)}",
            $"max_abs_diff {r.Outputs.Select(o => o.MaxAbsDiff).DefaultIfEmpty(0).Max().ToString("G6", CultureInfo.InvariantCulture)}",
        };
        foreach (OutputResult o in r.Outputs.Where(o => o.Rows is not null))
        {
            parts.Add($"top1 agree {o.Top1Agreement}/{o.Rows}");
            if (o.Accuracy is double acc && o.GoldenAccuracy is double golden)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy {acc:P2} (golden {golden:P2})"));
            }
        }

        if (r.Rtol != 0 || r.Atol != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"(rtol {r.Rtol:G3}, atol {r.Atol:G3})"));
        }

        if (r.TotalCycles is long cycles)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cycles {cycles}"));
        }

        if (r.Message is not null)
        {
            parts.Add(r.Message);
        }

        return $"{status} {name}  {string.Join("  ", parts)}";
    }

    private static HardwareConfig? LoadConfig(string? nameOrPath) => nameOrPath is null ? null : HardwareConfig.Load(nameOrPath);

    private static void WriteJson(string path, List<CaseResult> results)
    {
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path, JsonSerializer.Serialize(results, s_json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(path, $"cannot write the JSON report ({e.Message})");
        }
    }

    private static int[] LoadLabels(string path)
    {
        TensorValue t = ModelFiles.LoadTensor(path);
        if (!DataTypeInfo.IsInteger(t.Type) || t.Rank != 1)
        {
            throw new UserInputException(path, $"labels must be a 1-D integer array, found {t}");
        }

        return Enumerable.Range(0, t.Length).Select(i => (int)TensorComparison.ToDouble(t, i)).ToArray();
    }
}
