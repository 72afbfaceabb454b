namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// com.microsoft SkipLayerNormalization on fp32 as ORT's CPU kernel computes it (contrib_ops/cpu/skip_layer_norm.cc,
/// ComputeJob, plain scalar code without fma), per row of the hidden size H: v = (x + skip) [+ bias], each a separate
/// fp32 add; mean and mean_square are sequential fp32 sums of v and v·v; mean = Σv / H; std = sqrt(Σv² / H − mean² + ε)
/// in fp32; y = (v − mean) / std · gamma [+ beta], left to right. The skip repeats when it is smaller than the input
/// (offset modulo its size). Returns Y and the optional input + skip + bias sum.
/// <para>NOT bit-exact against ORT 1.31: this is the order of skip_layer_norm.cc as published, but ORT 1.31's kernel
/// differs from it (and from the double-statistics, MLAS-LayerNorm and 4/8/16-lane variants tried) by 1-3 ulp in about
/// half of the outputs. It is the best statement known, used so that graphs keep ORT's kernel choice.</para>
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
            float meanSquare = 0f;
            for (int i = 0; i < h; i++)
            {
                float v = xs[off + i] + sk[skOff + i];
                if (bi is not null)
                {
                    v += bi[i];
                }

                sum[off + i] = v;
                mean += v;
                float sq = v * v;
                meanSquare += sq;
            }

            mean /= h;
            float variance = (meanSquare / h) - (mean * mean);
            float std = MathF.Sqrt(variance + epsilon);
            for (int i = 0; i < h; i++)
            {
                float t = (sum[off + i] - mean) / std * g[i];
                y[off + i] = be is null ? t : t + be[i];
            }
        }

        return (TensorValue.Create(DataType.Float, [.. x.Shape], y), TensorValue.Create(DataType.Float, [.. x.Shape], sum));
    }
}
