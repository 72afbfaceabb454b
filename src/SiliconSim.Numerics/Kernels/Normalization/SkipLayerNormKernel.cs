namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// com.microsoft SkipLayerNormalization on fp32 as ORT 1.31's CPU kernel computes it, per row of the hidden size H:
/// v = (x + skip) [+ bias], each a separate fp32 add (contrib_ops/cpu/skip_layer_norm.cc); then, unlike the published
/// two-sum loop of that file and unlike LayerNormalization's MLAS path, ORT 1.31 normalises with the scalar Welford loop
/// of its LayerNorm implementation at every H (found against ORT 1.31: 0 of 4,096 outputs differ, where the two-sum,
/// double-statistics, MLAS-LayerNorm and lane-split variants each miss about half): δ = v − m; m += δ / k;
/// M2 += δ·(v − m), all fp32 without fma; std = sqrt(M2 / H + ε); y = (v − m) / std · gamma [+ beta], left to right.
/// The skip repeats when it is smaller than the input (offset modulo its size). Returns Y and the sum v (output 3).
/// </summary>
public static class SkipLayerNormKernel
{
    /// <summary>Y and the sum v (output 3).</summary>
    /// <exception cref="ArgumentException">non-float tensors or parameters that do not match the hidden size.</exception>
    public static (TensorValue Y, TensorValue Sum) Compute(TensorValue x, TensorValue skip, TensorValue gamma, TensorValue? beta, TensorValue? bias, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentNullException.ThrowIfNull(gamma);
        if (x.Type != DataType.Float || skip.Type != DataType.Float || gamma.Type != DataType.Float
            || (beta is not null && beta.Type != DataType.Float) || (bias is not null && bias.Type != DataType.Float))
        {
            throw new ArgumentException("SkipLayerNormalization supports float only");
        }

        if (x.Rank < 1)
        {
            throw new ArgumentException("SkipLayerNormalization input must have rank ≥ 1");
        }

        int h = x.Shape[^1];
        if (gamma.Length != h || (beta is not null && beta.Length != h) || (bias is not null && bias.Length != h)
            || skip.Length == 0 || skip.Length % h != 0 || x.Length % skip.Length != 0)
        {
            throw new ArgumentException($"SkipLayerNormalization: gamma, beta, bias need {h} values and skip must tile the input {x.ShapeText} (skip {skip.ShapeText})");
        }

        float[] xs = x.Items<float>();
        float[] sk = skip.Items<float>();
        float[] g = gamma.Items<float>();
        float[]? be = beta?.Items<float>();
        float[]? bi = bias?.Items<float>();
        var y = new float[xs.Length];
        var sum = new float[xs.Length];
        for (int off = 0; off < xs.Length; off += h)
        {
            int skOff = off % sk.Length;
            float mean = 0f;
            float m2 = 0f;
            for (int i = 0; i < h; i++)
            {
                float v = xs[off + i] + sk[skOff + i];
                if (bi is not null)
                {
                    v += bi[i];
                }

                sum[off + i] = v;
                float delta = v - mean;
                mean += delta / (i + 1);
                float delta2 = v - mean;
                float p = delta * delta2;
                m2 += p;
            }

            float std = MathF.Sqrt((m2 / h) + epsilon);
            for (int i = 0; i < h; i++)
            {
                float t = (sum[off + i] - mean) / std * g[i];
                y[off + i] = be is null ? t : t + be[i];
            }
        }

        return (TensorValue.Create(DataType.Float, [.. x.Shape], y), TensorValue.Create(DataType.Float, [.. x.Shape], sum));
    }
}
