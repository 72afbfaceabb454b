using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Numerics;

/// <summary>
/// How far SiliconSim's outputs under the accelerator's numerics (narrow accumulators, fixed-point requantizer) drift
/// from the golden outputs of ONNX Runtime's arithmetic: per output, mismatching elements, the largest absolute
/// difference and top-1 agreement (with the golden, and with labels when given). Pure: no I/O.
/// </summary>
/// <param name="Outputs">One entry per graph output, in graph order.</param>
public sealed record DriftReport(ImmutableArray<OutputDrift> Outputs)
{
    /// <summary>Mismatching elements over all outputs.</summary>
    public long TotalMismatches => Outputs.Sum(o => o.Mismatches);

    /// <summary>The largest absolute difference over all outputs.</summary>
    public double MaxAbsDiff => Outputs.Length == 0 ? 0 : Outputs.Max(o => o.MaxAbsDiff);

    /// <summary>
    /// Compares <paramref name="actual"/> with <paramref name="golden"/> output by output (same order and count).
    /// Top-1 is the arg-max over all but the first dimension, the first index winning ties (numpy.argmax) and NaN never
    /// winning; <paramref name="labels"/>, when given, hold one class per row of every rank-2-or-more output.
    /// </summary>
    /// <exception cref="ArgumentException">the counts differ, or the labels do not match an output's rows.</exception>
    public static DriftReport Compare(IReadOnlyList<(string Name, TensorValue Value)> actual, IReadOnlyList<TensorValue> golden, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(golden);
        if (actual.Count != golden.Count)
        {
            throw new ArgumentException($"{actual.Count} outputs but {golden.Count} golden outputs");
        }

        var result = ImmutableArray.CreateBuilder<OutputDrift>(actual.Count);
        for (int k = 0; k < actual.Count; k++)
        {
            (string name, TensorValue a) = actual[k];
            TensorValue e = golden[k];
            var c = TensorComparison.Compare(a, e);
            if (c.Problem is not null || a.Rank < 2 || a.Shape[0] == 0 || a.Length == 0)
            {
                result.Add(new OutputDrift(name, c.Elements, c.Mismatches, c.MaxAbsDiff, 0, null, null, null, c.Problem));
                continue;
            }

            int rows = a.Shape[0];
            int classes = a.Length / rows;
            if (labels is not null && labels.Count != rows)
            {
                throw new ArgumentException($"{labels.Count} labels for output '{name}' with {rows.ToString(CultureInfo.InvariantCulture)} rows");
            }

            int agree = 0, correctActual = 0, correctGolden = 0;
            for (int r = 0; r < rows; r++)
            {
                int ta = ArgMax(a, r * classes, classes), te = ArgMax(e, r * classes, classes);
                agree += ta == te ? 1 : 0;
                if (labels is not null)
                {
                    correctActual += ta == labels[r] ? 1 : 0;
                    correctGolden += te == labels[r] ? 1 : 0;
                }
            }

            result.Add(new OutputDrift(
                name,
                c.Elements,
                c.Mismatches,
                c.MaxAbsDiff,
                rows,
                agree,
                labels is null ? null : correctActual,
                labels is null ? null : correctGolden,
                null));
        }

        return new DriftReport(result.MoveToImmutable());
    }

    private static int ArgMax(TensorValue t, int start, int count)
    {
        int best = 0;
        double bestValue = TensorComparison.ToDouble(t, start);
        for (int i = 1; i < count; i++)
        {
            double v = TensorComparison.ToDouble(t, start + i);
            if (v > bestValue || (double.IsNaN(bestValue) && !double.IsNaN(v)))
            {
                best = i;
                bestValue = v;
            }
        }

        return best;
    }
}
