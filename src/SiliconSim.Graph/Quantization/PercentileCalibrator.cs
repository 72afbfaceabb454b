using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// ORT's PercentileCalibrater as quantize_static creates it (symmetric by default; calibrate.py,
/// HistogramCollector.collect_absolute_value and compute_percentile): the absolute values of a tensor over all batches
/// go into one numpy histogram of <c>bins</c> equal bins over [min |x|, max |x|], with numpy 2's fp32 bin edges and
/// bin search; the first edge where the float64 cumulative share reaches p / 100 gives the range [-edge, edge],
/// clamped to the data's min and max.
/// </summary>
public static class PercentileCalibrator
{
    /// <summary>The percentile ranges of every tensor <see cref="Calibrator.TensorsToCalibrate"/> selects.</summary>
    public static Dictionary<string, TensorRange> Ranges(ModelGraph graph, IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> batches, IReadOnlySet<string> opTypes, int bins = 2048, double percentile = 99.999)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var tensors = Calibrator.TensorsToCalibrate(graph, opTypes);
        var values = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        void Observe(string name, TensorValue value)
        {
            if (tensors.Contains(name) && value.Type == DataType.Float)
            {
                if (!values.TryGetValue(name, out var list))
                {
                    values[name] = list = [];
                }

                list.Add(value.Items<float>());
            }
        }

        foreach (var batch in batches)
        {
            foreach (var (name, value) in batch)
            {
                Observe(name, value);
            }

            GraphExecutor.Run(graph, batch, Observe);
        }

        var ranges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
        foreach (var (name, list) in values)
        {
            ranges[name] = Range(list.SelectMany(a => a).ToArray(), bins, percentile);
        }

        return ranges;
    }

    /// <summary>The percentile range of <paramref name="data"/>.</summary>
    public static TensorRange Range(float[] data, int bins, double percentile)
    {
        ArgumentNullException.ThrowIfNull(data);
        float min = 0f, max = 0f, absMin = 0f, absMax = 0f;
        bool any = false;
        var abs = new float[data.Length];
        int n = 0;
        foreach (float v in data)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            float a = Math.Abs(v);
            abs[n++] = a;
            min = any ? Math.Min(min, v) : v;
            max = any ? Math.Max(max, v) : v;
            absMin = any ? Math.Min(absMin, a) : a;
            absMax = any ? Math.Max(absMax, a) : a;
            any = true;
        }

        // np.histogram(|x|, bins): the range is [min |x|, max |x|], widened by 0.5 each side when empty.
        float first = absMin, last = absMax;
        if (first == last)
        {
            first -= 0.5f;
            last += 0.5f;
        }

        float[] edges = Edges(first, last, bins);
        long[] hist = Histogram(abs.AsSpan(0, n), first, last, edges, bins);
        long total = hist.Sum();
        int idx = SearchSorted(hist, total, percentile / 100.0);
        float lo = -edges[idx], hi = edges[idx];
        if (lo < min)
        {
            lo = min;
        }

        if (hi > max)
        {
            hi = max;
        }

        return new TensorRange(lo, hi);
    }

    /// <summary>np.linspace(first, last, bins + 1) with fp32 endpoints (numpy 2 evaluates in fp32):
    /// <c>k * fp32(delta / bins) + first</c>, the last edge exactly <paramref name="last"/>.</summary>
    private static float[] Edges(float first, float last, int bins)
    {
        float delta = last - first;
        float step = delta / bins;
        var edges = new float[bins + 1];
        for (int k = 0; k <= bins; k++)
        {
            edges[k] = (k * step) + first;
        }

        edges[bins] = last;
        return edges;
    }

    /// <summary>numpy's uniform-bin histogram: index from fp32 arithmetic, then corrected against the edges.</summary>
    private static long[] Histogram(ReadOnlySpan<float> data, float first, float last, float[] edges, int bins)
    {
        var hist = new long[bins];
        float denom = last - first;
        foreach (float a in data)
        {
            if (!(a >= first && a <= last))
            {
                continue;
            }

            float f = (a - first) / denom * bins;
            int i = (int)f;
            if (i == bins)
            {
                i--;
            }

            if (a < edges[i])
            {
                i--;
            }

            if (a >= edges[i + 1] && i != bins - 1)
            {
                i++;
            }

            hist[i]++;
        }

        return hist;
    }

    /// <summary>np.searchsorted(np.cumsum(hist / total), v): the first index whose cumulative share is at least v.</summary>
    private static int SearchSorted(long[] hist, long total, double v)
    {
        double cdf = 0;
        for (int i = 0; i < hist.Length; i++)
        {
            cdf += hist[i] / (double)total;
            if (cdf >= v)
            {
                return i;
            }
        }

        return hist.Length;
    }
}
