using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Validation;

/// <summary>
/// `validate --trace-node/--trace-all`: runs a case's first data set through the lowered graph, keeps the traced
/// tensors as the executor produces them, and compares each with ONNX Runtime's intermediate from the
/// --trace-expect folder, or, without one, prints a summary of it.
/// </summary>
internal static class CaseTracer
{
    private const int ValuesShown = 8;

    /// <summary>Traces and prints; returns the number of traced tensors that differ from their expected tensor.</summary>
    /// <exception cref="UserInputException">an unknown name, or an unreadable model, data set or expectation file.</exception>
    public static int Trace(TestCase testCase, TraceOptions trace, ValidateOptions options, TextWriter stdout)
    {
        ModelGraph model = ModelFiles.LoadModel(testCase.ModelPath);
        ModelGraph lowered = SimulationPipeline.LowerForExecution(model, spec: null);
        var resolver = new TraceResolver(model, lowered);
        var expected = trace.ExpectFolder is null ? null : LoadExpected(trace.ExpectFolder);

        var targets = new List<TraceTarget>();
        if (trace.All)
        {
            targets.AddRange(resolver.All());
        }

        foreach (string name in trace.Names)
        {
            targets.AddRange(resolver.Resolve(name, testCase.ModelPath));
        }

        if (expected is not null && !trace.All && trace.Names.Count == 0)
        {
            // An expectation folder alone: trace what it holds.
            foreach (string name in expected.Keys.Order(StringComparer.Ordinal))
            {
                targets.AddRange(resolver.Resolve(name, testCase.ModelPath, $"--trace-expect {trace.ExpectFolder}"));
            }
        }

        targets = [.. targets.DistinctBy(t => t.Tensor)];
        var dataSets = testCase.DataSets;
        string dataSet = dataSets.Count > 0 ? dataSets[0] : throw new UserInputException(testCase.Folder, "has no test_data_set_* folder");
        var inputs = CaseValidator.LoadInputs(model, dataSet);
        var wanted = targets.Select(t => t.Tensor).ToHashSet(StringComparer.Ordinal);
        var values = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (string name in wanted)
        {
            if (inputs.TryGetValue(name, out var v) || lowered.Initializers.TryGetValue(name, out v))
            {
                values[name] = v;
            }
        }

        string? failure = null;
        try
        {
            SimulationPipeline.ExecuteObserved(lowered, inputs, (name, value) =>
            {
                if (wanted.Contains(name))
                {
                    values[name] = value;
                }
            });
        }
        catch (ExecutionException e)
        {
            // Report the tensors computed before the failing node: they are what the user needs to look at.
            failure = e.Message;
        }

        var tolerance = options.ToleranceFor(model);
        string against = trace.ExpectFolder is null ? string.Empty : $", compared with {trace.ExpectFolder}";
        stdout.WriteLine($"trace {testCase.Name} {Path.GetFileName(dataSet)} (lowered graph{against}):");
        int differing = 0;
        foreach (TraceTarget target in targets)
        {
            string head = $"  '{target.Tensor}' from {target.Origin}";
            if (!values.TryGetValue(target.Tensor, out TensorValue? actual))
            {
                stdout.WriteLine($"{head}: not computed (the run stopped earlier)");
                continue;
            }

            if (expected is null)
            {
                stdout.WriteLine($"{head} {actual}: {Summary(actual)}");
            }
            else if (!expected.TryGetValue(target.Tensor, out TensorValue? golden))
            {
                stdout.WriteLine($"{head} {actual}: {Summary(actual)}  (no expected tensor in {trace.ExpectFolder})");
            }
            else
            {
                var line = Compare(actual, golden, tolerance, out bool differs);
                differing += differs ? 1 : 0;
                stdout.WriteLine($"{head} {actual}: {line}");
            }
        }

        foreach (string note in resolver.Notes)
        {
            stdout.WriteLine($"  note: {note}");
        }

        if (failure is not null)
        {
            stdout.WriteLine($"  execution failed: {failure}");
        }

        return differing;
    }

    private static string Compare(TensorValue actual, TensorValue expected, (double Rtol, double Atol) tolerance, out bool differs)
    {
        var c = TensorComparison.Compare(actual, expected, tolerance.Rtol, tolerance.Atol);
        differs = !c.Passed;
        if (c.Problem is not null)
        {
            return $"cannot compare: {c.Problem}";
        }

        string text = string.Create(CultureInfo.InvariantCulture, $"elements {c.Elements}  mismatches {c.Mismatches}  max_abs_diff {c.MaxAbsDiff:G6}");
        if (c.Mismatches > 0)
        {
            int i = FirstMismatch(actual, expected, tolerance);
            text += $"  first mismatch at {i} {ShapeMath.Format(Unravel(i, actual.Shape.AsSpan()))}: siliconsim {Format(actual, i)}, onnxruntime {Format(expected, i)}";
        }

        return text;
    }

    /// <summary>The first element that fails <see cref="TensorComparison.Compare"/>'s rule, or -1.</summary>
    internal static int FirstMismatch(TensorValue actual, TensorValue expected, (double Rtol, double Atol) tolerance)
    {
        bool isFloat = DataTypeInfo.IsFloat(actual.Type);
        for (int i = 0; i < actual.Length; i++)
        {
            double a = TensorComparison.ToDouble(actual, i);
            double e = TensorComparison.ToDouble(expected, i);
            bool ok = double.IsNaN(a) || double.IsNaN(e) ? double.IsNaN(a) == double.IsNaN(e)
                : double.IsInfinity(a) || double.IsInfinity(e) ? a == e
                : isFloat ? Math.Abs(a - e) <= tolerance.Atol + (tolerance.Rtol * Math.Abs(e))
                : a == e;
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }

    private static int[] Unravel(int flat, ReadOnlySpan<int> shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }

        return index;
    }

    private static string Summary(TensorValue t)
    {
        if (t.Length == 0)
        {
            return "empty";
        }

        if (t.Type == DataType.String)
        {
            return "first [" + string.Join(", ", t.Items<string>().Take(ValuesShown)) + "]";
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        int nans = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double v = TensorComparison.ToDouble(t, i);
            if (double.IsNaN(v))
            {
                nans++;
                continue;
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        string first = string.Join(", ", Enumerable.Range(0, Math.Min(ValuesShown, t.Length)).Select(i => Format(t, i)));
        string nanText = nans > 0 ? $"  NaNs {nans}" : string.Empty;
        string Show(double v) => t.Type == DataType.Float ? ((float)v).ToString("R", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
        return $"min {Show(min)}  max {Show(max)}{nanText}  first [{first}{(t.Length > ValuesShown ? ", ..." : string.Empty)}]";
    }

    private static string Format(TensorValue t, int i) => t.Type switch
    {
        DataType.Float => t.Items<float>()[i].ToString("R", CultureInfo.InvariantCulture),
        DataType.Float16 => t.Items<Half>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.String => t.Items<string>()[i],
        _ => TensorComparison.ToDouble(t, i).ToString("R", CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, TensorValue> LoadExpected(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UserInputException(folder, "--trace-expect: no such folder");
        }

        var result = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*.pb").Order(StringComparer.Ordinal))
        {
            // The TensorProto's own name says which tensor it is; file names only approximate names with '/' or ':'.
            (string name, TensorValue value) = ModelFiles.LoadNamedTensor(file);
            result[name.Length > 0 ? name : Path.GetFileNameWithoutExtension(file)] = value;
        }

        return result;
    }
}
