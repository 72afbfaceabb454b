namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Scalar references for the reductions: every input element is routed to its output element by dropping the reduced
/// coordinates, then folded in input order (double accumulation for Sum, exact comparisons for Max/Min/ArgMax).
/// </summary>
public static class ReductionReference
{
    /// <summary>For each input element, the flat index of the output element it contributes to.</summary>
    public static int[] OutputIndex(int[] shape, bool[] reduced)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(reduced);
        var map = new int[ShapeMath.ElementCount(shape)];
        for (int i = 0; i < map.Length; i++)
        {
            int rem = i, outIndex = 0, outStride = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                int coord = rem % shape[d];
                rem /= shape[d];
                if (!reduced[d])
                {
                    outIndex += coord * outStride;
                    outStride *= shape[d];
                }
            }

            map[i] = outIndex;
        }

        return map;
    }

    /// <summary>Σ over the reduced axes, accumulated in double in input order.</summary>
    public static double[] Sum(double[] x, int[] shape, bool[] reduced, int outCount)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] map = OutputIndex(shape, reduced);
        var y = new double[outCount];
        for (int i = 0; i < x.Length; i++)
        {
            y[map[i]] += x[i];
        }

        return y;
    }

    /// <summary>Σ|x| over the reduced axes, the scale of a sum's rounding error.</summary>
    public static double[] SumAbs(double[] x, int[] shape, bool[] reduced, int outCount) =>
        Sum(Array.ConvertAll(x ?? throw new ArgumentNullException(nameof(x)), Math.Abs), shape, reduced, outCount);

    /// <summary>Max (or min) over the reduced axes.</summary>
    public static double[] MaxMin(bool max, double[] x, int[] shape, bool[] reduced, int outCount)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] map = OutputIndex(shape, reduced);
        var y = new double[outCount];
        Array.Fill(y, max ? double.NegativeInfinity : double.PositiveInfinity);
        for (int i = 0; i < x.Length; i++)
        {
            y[map[i]] = max ? Math.Max(y[map[i]], x[i]) : Math.Min(y[map[i]], x[i]);
        }

        return y;
    }

    /// <summary>The index along <paramref name="axis"/> of the first (or last) largest (or smallest) element.</summary>
    public static long[] ArgMinMax(bool max, bool last, double[] x, int[] shape, int axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        var reduced = new bool[shape.Length];
        reduced[axis] = true;
        int[] map = OutputIndex(shape, reduced);
        int outCount = (int)(x.Length / Math.Max(1, shape[axis]));
        var best = new double[outCount];
        var arg = new long[outCount];
        var seen = new bool[outCount];
        int inner = 1;
        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        for (int i = 0; i < x.Length; i++)
        {
            int o = map[i];
            long k = i / inner % shape[axis];
            bool better = !seen[o] || (max ? (last ? x[i] >= best[o] : x[i] > best[o]) : (last ? x[i] <= best[o] : x[i] < best[o]));
            if (better)
            {
                best[o] = x[i];
                arg[o] = k;
                seen[o] = true;
            }
        }

        return arg;
    }
}
