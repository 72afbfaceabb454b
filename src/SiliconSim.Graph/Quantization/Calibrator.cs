using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// ORT's MinMaxCalibrater (calibrate.py): the tensors to calibrate are the float, non-initializer inputs and outputs
/// of every node whose op type is quantized; each batch runs the fp32 graph (ORT runs it with graph optimisations
/// off, so SiliconSim runs the imported graph unlowered) and the range is the min of the batch minima and the max of
/// the batch maxima. NaNs are skipped, as np.nanmin does over batches.
/// </summary>
public static class Calibrator
{
    /// <summary>The tensors ORT would calibrate (CalibraterBase.select_tensors_to_calibrate).</summary>
    public static IReadOnlySet<string> TensorsToCalibrate(ModelGraph graph, IReadOnlySet<string> opTypes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(opTypes);
        var types = TypeInference.Infer(graph);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node n in graph.Nodes)
        {
            if (!opTypes.Contains(n.OpType))
            {
                continue;
            }

            foreach (string t in n.Inputs.Concat(n.Outputs))
            {
                if (t.Length > 0 && !graph.Initializers.ContainsKey(t) && types.TryGetValue(t, out var dt) && dt is DataType.Float or DataType.Float16)
                {
                    result.Add(t);
                }
            }
        }

        return result;
    }

    /// <summary>Runs every batch and returns the MinMax range of every calibrated tensor.</summary>
    public static Dictionary<string, TensorRange> MinMax(ModelGraph graph, IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> batches, IReadOnlySet<string> opTypes)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0)
        {
            throw new ArgumentException("calibration needs at least one batch", nameof(batches));
        }

        var tensors = TensorsToCalibrate(graph, opTypes);
        var ranges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
        void Observe(string name, TensorValue value)
        {
            if (!tensors.Contains(name) || value.Type != DataType.Float || value.Length == 0)
            {
                return;
            }

            float min = float.NaN, max = float.NaN;
            foreach (float v in value.Items<float>())
            {
                if (float.IsNaN(v))
                {
                    continue;
                }

                if (float.IsNaN(min) || v < min)
                {
                    min = v;
                }

                if (float.IsNaN(max) || v > max)
                {
                    max = v;
                }
            }

            if (float.IsNaN(min))
            {
                return;
            }

            ranges[name] = ranges.TryGetValue(name, out var r) ? new TensorRange(Math.Min(r.Min, min), Math.Max(r.Max, max)) : new TensorRange(min, max);
        }

        foreach (var batch in batches)
        {
            foreach (var (name, value) in batch)
            {
                Observe(name, value);
            }

            GraphExecutor.Run(graph, batch, Observe);
        }

        return ranges;
    }
}
