using SiliconSim.Numerics.Kernels.Logic;

namespace SiliconSim.Numerics.Reference;

/// <summary>Scalar references for comparisons and Where: one output element at a time, broadcast offsets computed
/// from coordinates (<see cref="ElementwiseQuantReference.BroadcastOffset"/>), values compared as doubles.</summary>
public static class LogicReference
{
    /// <summary>a op b over the broadcast shape.</summary>
    public static bool[] Compare(CompareOp op, double[] a, int[] aShape, double[] b, int[] bShape, int[] outShape)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var y = new bool[ShapeMath.ElementCount(outShape)];
        for (int i = 0; i < y.Length; i++)
        {
            double p = a[ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)];
            double q = b[ElementwiseQuantReference.BroadcastOffset(i, outShape, bShape)];
            y[i] = op switch
            {
                CompareOp.Less => p < q,
                CompareOp.LessOrEqual => p <= q,
                CompareOp.Greater => p > q,
                CompareOp.GreaterOrEqual => p >= q,
                _ => p == q,
            };
        }

        return y;
    }

    /// <summary>cond ? x : y over the broadcast shape.</summary>
    public static double[] Where(bool[] c, int[] cShape, double[] x, int[] xShape, double[] y, int[] yShape, int[] outShape)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var r = new double[ShapeMath.ElementCount(outShape)];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = c[ElementwiseQuantReference.BroadcastOffset(i, outShape, cShape)]
                ? x[ElementwiseQuantReference.BroadcastOffset(i, outShape, xShape)]
                : y[ElementwiseQuantReference.BroadcastOffset(i, outShape, yShape)];
        }

        return r;
    }
}
