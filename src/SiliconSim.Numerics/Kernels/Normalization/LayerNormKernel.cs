namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// LayerNormalization (ONNX opset 17) as ONNX Runtime's CPU kernel computes it (providers/cpu/nn/layer_norm_impl.cc,
/// ComputeJob) for each of the prod(shape[:axis]) rows of norm_size elements, all in the element type (fp32 for float):
/// sequential sums mean = Σx and sq = Σ(x·x) (a separate multiply and add, no fma: the provider code is built for
/// baseline x86-64), mean = mean / n, std = sqrt(sq / n − mean·mean + ε), then y = (x − mean) / std · scale [+ bias]
/// left to right, Mean = mean and InvStdDev = 1 / std.
/// </summary>
public static class LayerNormKernel
{
    /// <summary>Normalises over dimensions [axis, rank); scale and bias broadcast to X.shape[axis:].</summary>
    /// <exception cref="ArgumentException">bad axis, mismatched types or shapes.</exception>
    public static LayerNormResult Compute(TensorValue x, TensorValue scale, TensorValue? bias, long axis, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (scale.Type != x.Type || (bias is not null && bias.Type != x.Type))
        {
            throw new ArgumentException("LayerNormalization scale and bias must have X's element type");
        }

        int rank = x.Rank;
        int a = ShapeMath.NormalizeAxis(axis, rank);
        int rows = 1;
        for (int i = 0; i < a; i++)
        {
            rows *= x.Shape[i];
        }

        int[] normShape = [.. x.Shape.Skip(a)];
        int n = checked((int)ShapeMath.ElementCount(normShape));
        int[] statShape = [.. x.Shape.Take(a), .. Enumerable.Repeat(1, rank - a)];
        int[] scaleIndex = Expand(scale, normShape, "scale");
        int[]? biasIndex = bias is null ? null : Expand(bias, normShape, "bias");
        switch (x.Type)
        {
            case DataType.Float:
                {
                    float[] xs = x.Items<float>();
                    float[] s = scale.Items<float>();
                    float[]? b = bias?.Items<float>();
                    var y = new float[xs.Length];
                    var mean = new float[rows];
                    var inv = new float[rows];
                    for (int r = 0; r < rows; r++)
                    {
                        int off = r * n;
                        float m = 0f;
                        float sq = 0f;
                        for (int h = 0; h < n; h++)
                        {
                            float v = xs[off + h];
                            m += v;
                            float p = v * v;
                            sq += p;
                        }

                        m /= n;
                        float std = MathF.Sqrt((sq / n) - (m * m) + epsilon);
                        for (int h = 0; h < n; h++)
                        {
                            float v = (xs[off + h] - m) / std * s[scaleIndex[h]];
                            y[off + h] = b is null ? v : v + b[biasIndex![h]];
                        }

                        mean[r] = m;
                        inv[r] = 1 / std;
                    }

                    return new LayerNormResult(
                        TensorValue.Create(DataType.Float, [.. x.Shape], y),
                        TensorValue.Create(DataType.Float, statShape, mean),
                        TensorValue.Create(DataType.Float, statShape, inv));
                }

            case DataType.Double:
                {
                    double[] xs = x.Items<double>();
                    double[] s = scale.Items<double>();
                    double[]? b = bias?.Items<double>();
                    var y = new double[xs.Length];
                    var mean = new float[rows];
                    var inv = new float[rows];
                    for (int r = 0; r < rows; r++)
                    {
                        int off = r * n;
                        double m = 0;
                        double sq = 0;
                        for (int h = 0; h < n; h++)
                        {
                            double v = xs[off + h];
                            m += v;
                            double p = v * v;
                            sq += p;
                        }

                        m /= n;
                        double std = Math.Sqrt((sq / n) - (m * m) + epsilon);
                        for (int h = 0; h < n; h++)
                        {
                            double v = (xs[off + h] - m) / std * s[scaleIndex[h]];
                            y[off + h] = b is null ? v : v + b[biasIndex![h]];
                        }

                        // ONNX's U type is float here; ORT narrows the double statistics.
                        mean[r] = (float)m;
                        inv[r] = (float)(1 / std);
                    }

                    return new LayerNormResult(
                        TensorValue.Create(DataType.Double, [.. x.Shape], y),
                        TensorValue.Create(DataType.Float, statShape, mean),
                        TensorValue.Create(DataType.Float, statShape, inv));
                }

            default:
                throw new ArgumentException($"LayerNormalization supports float and double, got {DataTypeInfo.Name(x.Type)}");
        }
    }

    private static int[] Expand(TensorValue t, int[] normShape, string name)
    {
        if (t.Length == ShapeMath.ElementCount(normShape))
        {
            return Enumerable.Range(0, t.Length).ToArray();
        }

        if (t.Rank > normShape.Length)
        {
            throw new ArgumentException($"{name} {t.ShapeText} does not broadcast to X.shape[axis:] {ShapeMath.Format(normShape)}");
        }

        for (int i = 0; i < t.Rank; i++)
        {
            int d = t.Shape[t.Rank - 1 - i];
            if (d != 1 && d != normShape[normShape.Length - 1 - i])
            {
                throw new ArgumentException($"{name} {t.ShapeText} does not broadcast to X.shape[axis:] {ShapeMath.Format(normShape)}");
            }
        }

        return Activation.ActivationKernels.BroadcastIndex(t.Shape.AsSpan(), normShape);
    }
}
