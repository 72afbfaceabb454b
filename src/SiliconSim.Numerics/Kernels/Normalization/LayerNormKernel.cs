namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// LayerNormalization (ONNX opset 17) as ONNX Runtime 1.31's CPU kernel computes it on an AVX2/AVX512 machine, per row
/// of norm_size = prod(shape[axis:]) elements. fp32 rows of 8 or more go to MLAS's LayerNorm kernel
/// (<see cref="MlasRow"/>), shorter rows to ORT's scalar Welford loop (<see cref="WelfordRow"/>); both were derived
/// from mlas/lib/layernorm.cpp, layernorm_kernel_avx2.cpp and providers/cpu/nn/layer_norm_impl.cc and confirmed
/// bit for bit against ORT 1.31. Scale and bias shaped X.shape[axis:] are read flat on that path; any other NumPy
/// broadcast of them to X's whole shape runs ORT's generic path, in double (<see cref="GenericRow"/>; see
/// <see cref="ScaleLayout"/>). Double tensors use the plain two-moment formula in double.
/// </summary>
public static class LayerNormKernel
{
    /// <summary>Normalises over dimensions [axis, rank); scale and bias are shaped X.shape[axis:] or broadcast to X.</summary>
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
        var layout = ScaleLayout.Resolve(x, scale, bias, a);
        switch (x.Type)
        {
            case DataType.Float:
                {
                    float[] xs = x.Items<float>();
                    float[] s = scale.Items<float>();
                    float[]? b = bias?.Items<float>();
                    // Every row writes all of its outputs, so the array may come from the arena.
                    float[] y = TensorArena.Allocate<float>(xs.Length);
                    var mean = new float[rows];
                    var inv = new float[rows];
                    for (int r = 0; r < rows; r++)
                    {
                        int off = r * n;
                        if (layout.Generic)
                        {
                            (mean[r], inv[r]) = GenericRow(xs.AsSpan(off, n), s, b, layout.ScaleIndex.AsSpan(off, n), layout.BiasIndex is null ? default : layout.BiasIndex.AsSpan(off, n), y.AsSpan(off, n), epsilon);
                            continue;
                        }

                        (mean[r], inv[r]) = n >= MlasMinimumNormSize
                            ? MlasRow(xs.AsSpan(off, n), s, b, layout.ScaleIndex, layout.BiasIndex, y.AsSpan(off, n), epsilon)
                            : WelfordRow(xs.AsSpan(off, n), s, b, layout.ScaleIndex, layout.BiasIndex, y.AsSpan(off, n), epsilon);
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
                        int at = layout.Generic ? off : 0;
                        for (int h = 0; h < n; h++)
                        {
                            double v = (xs[off + h] - m) / std * s[layout.ScaleIndex[at + h]];
                            // The generic path adds a bias of 0.0 when there is none (so −0 becomes +0).
                            y[off + h] = b is not null ? v + b[layout.BiasIndex![at + h]] : layout.Generic ? v + 0.0 : v;
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

    /// <summary>
    /// One row on ORT 1.31's generic NumPy-broadcast path (layer_norm_impl.cc, ComputeJobGenericShared), all in
    /// double: mean = Σx / n and Σx² in order, denom = sqrt(Σx² / n − mean² + ε), y = (float)(((x − mean) / denom)·s + b)
    /// with b = 0.0 when there is no bias; Mean = (float)mean, InvStdDev = (float)(1 / denom).
    /// </summary>
    internal static (float Mean, float InvStdDev) GenericRow(ReadOnlySpan<float> x, float[] scale, float[]? bias, ReadOnlySpan<int> scaleIndex, ReadOnlySpan<int> biasIndex, Span<float> y, float epsilon)
    {
        int n = x.Length;
        double mean = 0;
        double meanSquare = 0;
        for (int h = 0; h < n; h++)
        {
            double v = x[h];
            mean += v;
            double sq = v * v;
            meanSquare += sq;
        }

        mean /= n;
        double denom = Math.Sqrt((meanSquare / n) - (mean * mean) + epsilon);
        for (int h = 0; h < n; h++)
        {
            double t = (x[h] - mean) / denom * scale[scaleIndex[h]];
            double b = bias is null ? 0.0 : bias[biasIndex[h]];
            y[h] = (float)(t + b);
        }

        return ((float)mean, (float)(1.0 / denom));
    }

    /// <summary>Rows this short bypass MLAS (mlas/lib/layernorm.cpp: "NormSize &lt; 8" returns false on x86).</summary>
    public const int MlasMinimumNormSize = 8;

    /// <summary>
    /// One row as MlasLayerNormKernelAvx2 (mlas/lib/layernorm_kernel_avx2.cpp, built with FMA contraction) computes it
    /// for ORT 1.31: mean = Σx in double / n rounded to fp32; the variance in a second pass, Σ (x − mean)² with
    /// eight fma lanes over full blocks of 8, folded (l0+l4, l1+l5, l2+l6, l3+l7, then (0+2)+(1+3)), then the tail
    /// added in order (a leading group of four by multiply and add, the rest by fma); inv = 1 / sqrt(var / n + ε);
    /// y = (x − mean)·inv·scale, or fma((x − mean)·inv, scale, bias).
    /// </summary>
    internal static (float Mean, float InvStdDev) MlasRow(ReadOnlySpan<float> x, float[] scale, float[]? bias, int[] scaleIndex, int[]? biasIndex, Span<float> y, float epsilon)
    {
        int n = x.Length;
        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        float mean = (float)(sum / n);
        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                float d = x[i + l] - mean;
                lanes[l] = MathF.FusedMultiplyAdd(d, d, lanes[l]);
            }
        }

        float r0 = lanes[0] + lanes[4];
        float r1 = lanes[1] + lanes[5];
        float r2 = lanes[2] + lanes[6];
        float r3 = lanes[3] + lanes[7];
        float var = (r0 + r2) + (r1 + r3);
        // The tail (n mod 8 elements) joins the folded sum in order: a first group of four, when there is one, with a
        // separate multiply and add, the rest with fma (how the compiled kernel behaves; found against ORT 1.31).
        int tail = n - i;
        for (int k = 0; i < n; i++, k++)
        {
            float d = x[i] - mean;
            if (tail >= 4 && k < 4)
            {
                float sq = d * d;
                var += sq;
            }
            else
            {
                var = MathF.FusedMultiplyAdd(d, d, var);
            }
        }

        float inv = 1.0f / MathF.Sqrt((var / n) + epsilon);
        for (int h = 0; h < n; h++)
        {
            float t = (x[h] - mean) * inv;
            y[h] = bias is null ? t * scale[scaleIndex[h]] : MathF.FusedMultiplyAdd(t, scale[scaleIndex[h]], bias[biasIndex![h]]);
        }

        return (mean, inv);
    }

    /// <summary>
    /// A row shorter than 8 in ORT 1.31's own loop (providers/cpu/nn/layer_norm_impl.cc, baseline x86-64, no fma):
    /// Welford's running mean and M2 in fp32 (δ = x − m; m += δ / k; M2 += δ·(x − m)), std = sqrt(M2 / n + ε),
    /// y = (x − mean) / std · scale [+ bias], InvStdDev = 1 / std.
    /// </summary>
    internal static (float Mean, float InvStdDev) WelfordRow(ReadOnlySpan<float> x, float[] scale, float[]? bias, int[] scaleIndex, int[]? biasIndex, Span<float> y, float epsilon)
    {
        int n = x.Length;
        float mean = 0f;
        float m2 = 0f;
        for (int k = 0; k < n; k++)
        {
            float delta = x[k] - mean;
            mean += delta / (k + 1);
            float delta2 = x[k] - mean;
            float p = delta * delta2;
            m2 += p;
        }

        float std = MathF.Sqrt((m2 / n) + epsilon);
        for (int h = 0; h < n; h++)
        {
            float t = (x[h] - mean) / std * scale[scaleIndex[h]];
            y[h] = bias is null ? t : t + bias[biasIndex![h]];
        }

        return (mean, 1 / std);
    }
}
