using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain scalar references for QuantizeLinear and DequantizeLinear: every element locates its scale from its own
/// coordinates (no blocking of loops), and quantizes by the textbook order round(x / s) + z then clamp, written with
/// doubles-free fp32 steps. They define what the kernels in <c>Kernels/</c> must produce.
/// </summary>
public static class QuantizationReference
{
    /// <summary>The scale/zero-point index of flat element <paramref name="flat"/>: 0 per tensor, the axis coordinate per
    /// axis, and for blocks the flat index of the coordinates with coord[axis] / blockSize into the scale's shape.</summary>
    public static int ParamIndex(int[] xShape, int[] scaleShape, int axis, int blockSize, int flat)
    {
        if (ShapeMath.ElementCount(scaleShape) == 1)
        {
            return 0;
        }

        int[] coords = new int[xShape.Length];
        for (int d = xShape.Length - 1; d >= 0; d--)
        {
            coords[d] = flat % xShape[d];
            flat /= xShape[d];
        }

        if (blockSize == 0)
        {
            return coords[axis];
        }

        coords[axis] /= blockSize;
        int index = 0;
        for (int d = 0; d < scaleShape.Length; d++)
        {
            index = (index * scaleShape[d]) + coords[d];
        }

        return index;
    }

    /// <summary>Integer quantization of one value: q = clamp(rint(x / s) + z, qmin, qmax), NaN → qmin.</summary>
    public static int QuantizeInteger(float x, float scale, int zeroPoint, int qmin, int qmax)
    {
        float v = x / scale;
        if (float.IsNaN(v))
        {
            return qmin;
        }

        // Clamp in double so that huge quotients cannot wrap an int before the clamp.
        double q = Math.Round((double)v, MidpointRounding.ToEven) + zeroPoint;
        return (int)Math.Clamp(q, qmin, qmax);
    }

    /// <summary>ORT's round-first form: clamp(int32(rint(x / s)) + z) where NaN and out-of-int32 quotients convert to
    /// int.MinValue and the add wraps.</summary>
    public static int QuantizeIntegerRoundFirst(float x, float scale, int zeroPoint, int qmin, int qmax)
    {
        double r = Math.Round((double)(x / scale), MidpointRounding.ToEven);
        int asInt = r >= int.MinValue && r <= int.MaxValue ? (int)r : int.MinValue;
        return Math.Clamp(unchecked(asInt + zeroPoint), qmin, qmax);
    }

    /// <summary>Whether ORT quantizes flat element <paramref name="i"/> in the round-first form: 2-bit and float16
    /// input always; blocked with trailing dims; 4-bit elements at an odd-aligned edge of their run (the tensor, the axis
    /// slice, or the innermost-axis block).</summary>
    public static bool RoundsFirst(int i, int[] xShape, int[] scaleShape, int axis, int blockSize, int bits, bool halfInput)
    {
        int n = (int)ShapeMath.ElementCount(xShape);
        bool perTensor = ShapeMath.ElementCount(scaleShape) == 1;
        bool blocked = !perTensor && blockSize > 0;
        int inner = 1;
        for (int d = axis + 1; d < xShape.Length; d++)
        {
            inner *= xShape[d];
        }

        if (bits == 2 || halfInput || (blocked && inner > 1))
        {
            return true;
        }

        if (bits != 4)
        {
            return false;
        }

        int start;
        int end;
        if (perTensor)
        {
            (start, end) = (0, n);
        }
        else if (!blocked)
        {
            start = i / inner * inner;
            end = start + inner;
        }
        else
        {
            int along = i % xShape[axis];
            int rowStart = i - along;
            start = rowStart + (along / blockSize * blockSize);
            end = Math.Min(start + blockSize, rowStart + xShape[axis]);
        }

        return (i == start && start % 2 == 1) || (i == end - 1 && end % 2 == 1);
    }

    /// <summary>QuantizeLinear over flat arrays: integers when <paramref name="type"/> is an integer type (result as
    /// ints), float8/float4 codes otherwise (result as ints holding the codes).</summary>
    public static int[] Quantize(float[] x, int[] xShape, float[] scale, int[] scaleShape, float[]? zeroPoint, DataType type, int axis, int blockSize, bool saturate, bool halfInput = false)
    {
        var q = new int[x.Length];
        bool integer = DataTypeInfo.IsInteger(type);
        (long min, long max) = integer ? DataTypeInfo.IntegerRange(type) : (0, 0);
        for (int i = 0; i < x.Length; i++)
        {
            int p = ParamIndex(xShape, scaleShape, axis, blockSize, i);
            float z = zeroPoint?[p] ?? 0f;
            if (integer)
            {
                q[i] = RoundsFirst(i, xShape, scaleShape, axis, blockSize, DataTypeInfo.BitWidth(type), halfInput)
                    ? QuantizeIntegerRoundFirst(x[i], scale[p], (int)z, (int)min, (int)max)
                    : QuantizeInteger(x[i], scale[p], (int)z, (int)min, (int)max);
            }
            else
            {
                float v = x[i] / scale[p];
                q[i] = MiniFloats.Encode(type, type == DataType.Float4E2M1 ? v + z : v, saturate);
            }
        }

        return q;
    }

    /// <summary>DequantizeLinear over flat arrays to fp32: (x − z) · s, the difference exact.</summary>
    public static float[] Dequantize(float[] x, int[] xShape, float[] scale, int[] scaleShape, float[]? zeroPoint, int axis, int blockSize)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int p = ParamIndex(xShape, scaleShape, axis, blockSize, i);
            // x and z are integers below 2^31 or small-float values, so x − z is exact in double; one rounding to fp32
            // before the multiply matches float(int32 difference) for |x − z| ≤ 2^24 and the small floats.
            float diff = (float)(x[i] - (double)(zeroPoint?[p] ?? 0f));
            y[i] = diff * scale[p];
        }

        return y;
    }
}
