namespace SiliconSim.Numerics.Kernels.Activation;

/// <summary>
/// Softmax as ONNX Runtime computes it (providers/cpu/math/softmax.cc → MlasComputeSoftmax, mlas/lib/compute.cpp),
/// on rows of D contiguous values: max by vmaxps (order-free), each term exp(x − max) by the AVX512F sum-exp kernel
/// (<see cref="MlasMath.SumExpTerm"/>), the sum in 16 fp32 lanes (lane j adds elements j, j+16, ... in order) folded as
/// ((b0+b1)+(b2+b3))+((b4+b5)+(b6+b7)) with b_i = lane[i+8]+lane[i], then every term times the fp32 1/sum.
/// Opset &lt; 13 flattens to [prod(shape[:axis]), prod(shape[axis:])]; opset ≥ 13 normalises along the axis alone
/// (ORT transposes that axis last, which keeps each row's element order).
/// </summary>
public static class SoftmaxKernel
{
    /// <summary>Softmax of a float or double tensor; <paramref name="flatten"/> selects the opset &lt; 13 semantics.</summary>
    /// <exception cref="ArgumentException">the axis is out of range or the type is unsupported.</exception>
    public static TensorValue Softmax(TensorValue x, long axis, bool flatten)
    {
        ArgumentNullException.ThrowIfNull(x);
        int rank = x.Rank;
        int a = rank == 0 ? 0 : ShapeMath.NormalizeAxis(axis, rank);
        int outer = 1;
        for (int i = 0; i < a; i++)
        {
            outer *= x.Shape[i];
        }

        int d = 1;
        int inner = 1;
        if (flatten)
        {
            for (int i = a; i < rank; i++)
            {
                d *= x.Shape[i];
            }
        }
        else
        {
            d = rank == 0 ? 1 : x.Shape[a];
            for (int i = a + 1; i < rank; i++)
            {
                inner *= x.Shape[i];
            }
        }

        switch (x.Type)
        {
            case DataType.Float:
                {
                    float[] y = Run(x.Items<float>(), outer, d, inner, RowFloat);
                    return TensorValue.Create(DataType.Float, [.. x.Shape], y);
                }

            case DataType.Double:
                {
                    double[] y = Run(x.Items<double>(), outer, d, inner, RowDouble);
                    return TensorValue.Create(DataType.Double, [.. x.Shape], y);
                }

            default:
                throw new ArgumentException($"Softmax supports float and double, got {DataTypeInfo.Name(x.Type)}");
        }
    }

    /// <summary>One row in MLAS's order (fp32), in place.</summary>
    public static void RowFloat(Span<float> row)
    {
        if (row.Length == 0)
        {
            return;
        }

        float max = float.MinValue;
        foreach (float v in row)
        {
            // vmaxps keeps its second operand when either is NaN; the running max is the first.
            max = max > v ? max : v;
        }

        float negMax = -max;
        Span<float> lanes = stackalloc float[16];
        lanes.Clear();
        for (int i = 0; i < row.Length; i++)
        {
            float e = MlasMath.SumExpTerm(row[i], negMax);
            row[i] = e;
            lanes[i & 15] += e;
        }

        float sum = LaneSum(lanes);
        float scale = 1.0f / sum;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = scale * row[i];
        }
    }

    /// <summary>The AVX512F kernel's final horizontal reduction of its 16 accumulator lanes.</summary>
    internal static float LaneSum(ReadOnlySpan<float> lanes)
    {
        Span<float> b = stackalloc float[8];
        for (int i = 0; i < 8; i++)
        {
            b[i] = lanes[i + 8] + lanes[i];
        }

        float lo = (b[0] + b[1]) + (b[2] + b[3]);
        float hi = (b[4] + b[5]) + (b[6] + b[7]);
        return lo + hi;
    }

    private static void RowDouble(Span<double> row)
    {
        if (row.Length == 0)
        {
            return;
        }

        double max = double.MinValue;
        foreach (double v in row)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = Math.Exp(row[i] - max);
            sum += row[i];
        }

        for (int i = 0; i < row.Length; i++)
        {
            row[i] /= sum;
        }
    }

    private delegate void RowAction<T>(Span<T> row);

    private static T[] Run<T>(T[] x, int outer, int d, int inner, RowAction<T> row)
    {
        var y = new T[x.Length];
        var buffer = new T[d];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = (o * d * inner) + i;
                for (int k = 0; k < d; k++)
                {
                    buffer[k] = x[baseIndex + (k * inner)];
                }

                row(buffer);
                for (int k = 0; k < d; k++)
                {
                    y[baseIndex + (k * inner)] = buffer[k];
                }
            }
        }

        return y;
    }
}
