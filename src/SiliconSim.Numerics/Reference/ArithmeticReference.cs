namespace SiliconSim.Numerics.Reference;

/// <summary>Scalar references for Mod, Min/Max, Expand and Tile, written from the ONNX definitions.</summary>
public static class ArithmeticReference
{
    /// <summary>ONNX Mod on integers: fmod = 1 keeps the dividend's sign (C %), fmod = 0 the divisor's (Python %).</summary>
    public static long Mod(long a, long b, bool fmod) => fmod ? a % b : ((a % b) + b) % b;

    /// <summary>max(a, b) (or min) with NaN from either side; the first operand wins ties.</summary>
    public static double MinMax(bool max, double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) ? a : b;
        }

        return max ? (b > a ? b : a) : (b < a ? b : a);
    }

    /// <summary>Expand: output element i reads the broadcast offset of its coordinates.</summary>
    public static double[] Expand(double[] x, int[] xShape, int[] outShape)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = new double[ShapeMath.ElementCount(outShape)];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[ElementwiseQuantReference.BroadcastOffset(i, outShape, xShape)];
        }

        return y;
    }

    /// <summary>Tile: output coordinate c reads input coordinate c mod dim on every axis.</summary>
    public static double[] Tile(double[] x, int[] xShape, long[] repeats)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(xShape);
        ArgumentNullException.ThrowIfNull(repeats);
        int rank = xShape.Length;
        var outShape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            outShape[d] = xShape[d] * (int)repeats[d];
        }

        var y = new double[ShapeMath.ElementCount(outShape)];
        for (int i = 0; i < y.Length; i++)
        {
            int rem = i, offset = 0, stride = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                int coord = rem % outShape[d];
                rem /= outShape[d];
                offset += coord % xShape[d] * stride;
                stride *= xShape[d];
            }

            y[i] = x[offset];
        }

        return y;
    }
}
