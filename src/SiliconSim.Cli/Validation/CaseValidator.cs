using SiliconSim.Cli.Io;
using SiliconSim.Cli.Vectors;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Validation;

/// <summary>
/// Runs one test case through import, ORT-CPU lowering and execution, and compares every output with the golden. With a
/// hardware config (<see cref="ValidateOptions.Hardware"/>) the case executes under the array's numerics and is timed on
/// the accelerator; a model the accelerator cannot run (operand types, tiling) is the case's error, located at the YAML
/// line; under non-reference numerics a difference from the golden is reported as drift (<see cref="DriftReport"/>).
/// </summary>
internal sealed class CaseValidator
{
    private readonly ValidateOptions _options;

    private readonly List<KernelReport> _kernelReports = [];

    public CaseValidator(ValidateOptions options) => _options = options;

    /// <summary>The co-simulated kernels' reports of the cases validated since the last call, then cleared.</summary>
    public IReadOnlyList<KernelReport> TakeKernelReports()
    {
        var reports = _kernelReports.ToList();
        _kernelReports.Clear();
        return reports;
    }

    public CaseResult Validate(TestCase testCase)
    {
        try
        {
            return ValidateOrThrow(testCase);
        }
        catch (UserInputException e)
        {
            return CaseResult.Failed(testCase.Name, e.Message);
        }
        catch (WorkloadException e)
        {
            return CaseResult.Failed(testCase.Name, e.Message);
        }
    }

    private CaseResult ValidateOrThrow(TestCase testCase)
    {
        ModelGraph model = ModelFiles.LoadModel(testCase.ModelPath);
        var dataSets = testCase.DataSets;
        if (dataSets.Count == 0)
        {
            throw new UserInputException(testCase.Folder, "has no test_data_set_* folder");
        }

        var tolerance = _options.ToleranceFor(model);
        HardwareConfig? hardware = _options.Hardware;
        bool drift = hardware is not null && !hardware.Spec.Array.Numerics.IsReference;
        var runtimeInputs = model.RuntimeInputs.Select(i => i.Name).ToList();
        RunResult? timed = null;
        var totals = new Dictionary<int, Accumulator>();
        foreach (string dataSet in dataSets)
        {
            var outputFiles = TestCase.NumberedFiles(dataSet, "output_");
            if (outputFiles.Count != model.Outputs.Length)
            {
                throw new UserInputException(dataSet, $"holds {outputFiles.Count} output_N.pb files but the model has {model.Outputs.Length} outputs");
            }

            var request = new WorkloadRequest { Name = testCase.Name, Model = model, Inputs = WorkloadFiles.DataSetInputs(runtimeInputs, dataSet), MemoryBudget = _options.MemoryBudget, Parallelism = _options.Parallelism };
            ExternalKernel? kernels = null;
            if (_options.Kernels.Count > 0)
            {
                string folder = Path.Combine("reports", "kernels", VectorFolder.FolderName(testCase.Name), Path.GetFileName(dataSet));
                kernels = KernelOptions.Create(_options.Kernels, hardware?.Spec, folder, _options.KernelTimeout, new LoadedWorkload(request, testCase.ModelPath, dataSet));
                request = request with { NodeOverride = kernels };
            }

            PreparedWorkload prepared = SimulationPipeline.Prepare(request, hardware?.Spec);
            if (kernels is not null)
            {
                KernelOptions.CheckAllRan(kernels, testCase.ModelPath);
                _kernelReports.AddRange(kernels.Reports);
            }

            // With a config, the case is timed and priced as `run` would the first data set (no thermal run).
            if (hardware is not null && timed is null)
            {
                RunOutcome outcome = SimulationPipeline.Evaluate(prepared, hardware.Spec, hardware.EnergyTable, new EvaluationOptions { ThermalSeconds = 0 });
                if (!outcome.Success)
                {
                    return CaseResult.Failed(testCase.Name, string.Join("; ", outcome.Problems.Select(hardware.Locate)));
                }

                timed = outcome.Result!;
            }

            var actual = prepared.Outputs;
            var expectedOutputs = outputFiles.Select(ModelFiles.LoadTensor).ToList();
            DriftReport? report = drift ? DriftReport.Compare(actual, expectedOutputs, DriftLabels(actual, _options.Labels)) : null;
            for (int k = 0; k < outputFiles.Count; k++)
            {
                if (!totals.TryGetValue(k, out Accumulator? acc))
                {
                    acc = totals[k] = new Accumulator(model.Outputs[k].Name);
                }

                if (report is not null)
                {
                    acc.Add(report.Outputs[k]);
                }
                else
                {
                    acc.Add(actual[k].Value, expectedOutputs[k], tolerance, _options.Labels);
                }
            }
        }

        var outputs = totals.OrderBy(kv => kv.Key).Select(kv => kv.Value.ToResult()).ToList();
        string? problem = totals.Values.Select(a => a.Problem).FirstOrDefault(p => p is not null);
        bool passed = problem is null && outputs.All(o => o.Mismatches == 0);
        string status = passed ? CaseResult.Pass : drift && problem is null ? CaseResult.Drift : CaseResult.Fail;
        return new CaseResult(testCase.Name, status, outputs, problem)
        {
            Rtol = tolerance.Rtol,
            Atol = tolerance.Atol,
            TotalCycles = timed?.Performance.TotalCycles,
            DramBytes = timed is null ? null : timed.DramReadBytes + timed.DramWriteBytes,
            EnergyPerInferenceJ = timed?.EnergyPerInferenceJ,
        };
    }

    /// <summary>The labels when they hold one class per row of every rank-2-or-more output (DriftReport's contract), else none.</summary>
    private static int[]? DriftLabels(IReadOnlyList<(string Name, TensorValue Value)> actual, int[]? labels) =>
        labels is not null && actual.All(o => o.Value.Rank < 2 || o.Value.Shape[0] == labels.Length) ? labels : null;

    /// <summary>The input_N.pb files of <paramref name="dataSet"/>, keyed by the model's runtime inputs in order.</summary>
    public static Dictionary<string, TensorValue> LoadInputs(ModelGraph model, string dataSet) =>
        WorkloadFiles.DataSetInputs([.. model.RuntimeInputs.Select(i => i.Name)], dataSet);

    /// <summary>Sums one output's comparison over data sets.</summary>
    private sealed class Accumulator(string name)
    {
        private long _elements;
        private long _mismatches;
        private double _maxAbsDiff;
        private long? _agree;
        private long? _rows;
        private long? _correct;
        private long? _goldenCorrect;

        public string? Problem { get; private set; }

        public void Add(TensorValue actual, TensorValue expected, (double Rtol, double Atol) tolerance, int[]? labels)
        {
            var c = TensorComparison.Compare(actual, expected, tolerance.Rtol, tolerance.Atol);
            _elements += c.Elements;
            _mismatches += c.Mismatches;
            _maxAbsDiff = Math.Max(_maxAbsDiff, c.MaxAbsDiff);
            if (c.Problem is not null)
            {
                Problem ??= $"output '{name}': {c.Problem}";
                return;
            }

            if (Classifier.IsClassifierShaped(expected))
            {
                int[] ours = Classifier.TopOne(actual);
                int[] golden = Classifier.TopOne(expected);
                _rows = (_rows ?? 0) + ours.Length;
                _agree = (_agree ?? 0) + ours.Where((p, i) => p == golden[i]).Count();
                if (labels is not null && labels.Length == ours.Length)
                {
                    _correct = (_correct ?? 0) + ours.Where((p, i) => p == labels[i]).Count();
                    _goldenCorrect = (_goldenCorrect ?? 0) + golden.Where((p, i) => p == labels[i]).Count();
                }
            }
        }

        /// <summary>Adds one data set's drift (exact comparison, top-1 over all but the first dimension).</summary>
        public void Add(OutputDrift d)
        {
            _elements += d.Elements;
            _mismatches += d.Mismatches;
            _maxAbsDiff = Math.Max(_maxAbsDiff, d.MaxAbsDiff);
            if (d.Problem is not null)
            {
                Problem ??= $"output '{name}': {d.Problem}";
                return;
            }

            if (d.Rows > 0 && d.Top1AgreeWithGolden is int agree)
            {
                _rows = (_rows ?? 0) + d.Rows;
                _agree = (_agree ?? 0) + agree;
                if (d.Top1CorrectActual is int correct && d.Top1CorrectGolden is int goldenCorrect)
                {
                    _correct = (_correct ?? 0) + correct;
                    _goldenCorrect = (_goldenCorrect ?? 0) + goldenCorrect;
                }
            }
        }

        public OutputResult ToResult() => new(
            name,
            _elements,
            _mismatches,
            _maxAbsDiff,
            _agree,
            _rows,
            _correct is long c && _rows is long r ? (double)c / r : null,
            _goldenCorrect is long g && _rows is long r2 ? (double)g / r2 : null);
    }
}
