namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// com.microsoft SimplifiedLayerNormalization and SkipSimplifiedLayerNormalization (RMSNorm) on fp32 as ORT 1.31's CPU
/// kernels compute them (providers/cpu/nn/layer_norm_impl.cc and contrib_ops/cpu/skip_layer_norm.cc with
/// simplified = true), per row of the normalised size n: Σv² accumulated left to right in fp32 (one product rounded,
/// then one add: ORT's generic build does not contract to fma); rms = sqrt(Σv²/n + ε); y = v / rms · γ, left to right.
/// SimplifiedLayerNormalization rows of <see cref="MlasMinimumNormSize"/> or more take MLAS's kernel instead (see
/// MlasRow). For the Skip variant v = (x + skip) [+ bias], each a separate fp32 add, and v is output 3; it always runs
/// the scalar loop.
/// </summary>
public static class RmsNormKernel
{
    /// <summary>SimplifiedLayerNormalization rows this long or longer run MLAS's kernel in ORT 1.31, shorter ones ORT's
    /// scalar loop (found against ORT 1.31: 15 and below match the loop, 16 and above the MLAS kernel, for every length
    /// probed up to 44 and at 64, 100 and 576; LayerNormalization switches at 8).</summary>
    public const int MlasMinimumNormSize = 16;

    /// <summary>SimplifiedLayerNormalization: Y and InvStdDev (1/rms per row, shape X with 1s from axis on).</summary>
    /// <exception cref="ArgumentException">non-float tensors or a scale that does not match the normalised size.</exception>
    public static (TensorValue Y, TensorValue InvStdDev) Simplified(TensorValue x, TensorValue scale, long axis, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (x.Type != DataType.Float || scale.Type != DataType.Float)
        {
            throw new ArgumentException("SimplifiedLayerNormalization supports float only");
        }

        int a = ShapeMath.NormalizeAxis(axis, x.Rank);
        int n = 1;
        for (int i = a; i < x.Rank; i++)
        {
            n *= x.Shape[i];
        }

        if (n == 0 || scale.Length != n)
        {
            throw new ArgumentException($"SimplifiedLayerNormalization: scale {scale.ShapeText} needs {n} values for X {x.ShapeText} at axis {a}");
        }

        float[] xs = x.Items<float>();
        float[] g = scale.Items<float>();
        var y = new float[xs.Length];
        int rows = xs.Length / n;
        var inv = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            if (n >= MlasMinimumNormSize)
            {
                inv[r] = MlasRow(xs.AsSpan(r * n, n), g, y.AsSpan(r * n, n), epsilon);
                continue;
            }

            float rms = Rms(xs.AsSpan(r * n, n), epsilon);
            Normalize(xs.AsSpan(r * n, n), rms, g, y.AsSpan(r * n, n));
            inv[r] = 1f / rms;
        }

        int[] statShape = [.. x.Shape];
        for (int i = a; i < statShape.Length; i++)
        {
            statShape[i] = 1;
        }

        return (TensorValue.Create(DataType.Float, [.. x.Shape], y), TensorValue.Create(DataType.Float, statShape, inv));
    }

    /// <summary>SkipSimplifiedLayerNormalization: Y and the sum v = x + skip [+ bias] (output 3).</summary>
    /// <exception cref="ArgumentException">non-float tensors or parameters that do not match the hidden size.</exception>
    public static (TensorValue Y, TensorValue Sum) Skip(TensorValue x, TensorValue skip, TensorValue gamma, TensorValue? bias, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentNullException.ThrowIfNull(gamma);
        if (x.Type != DataType.Float || skip.Type != DataType.Float || gamma.Type != DataType.Float || (bias is not null && bias.Type != DataType.Float))
        {
            throw new ArgumentException("SkipSimplifiedLayerNormalization supports float only");
        }

        if (x.Rank < 1)
        {
            throw new ArgumentException("SkipSimplifiedLayerNormalization input must have rank ≥ 1");
        }

        int h = x.Shape[^1];
        if (h == 0 || gamma.Length != h || (bias is not null && bias.Length != h) || skip.Length == 0 || skip.Length % h != 0 || x.Length % skip.Length != 0)
        {
            throw new ArgumentException($"SkipSimplifiedLayerNormalization: gamma and bias need {h} values and skip must tile the input {x.ShapeText} (skip {skip.ShapeText})");
        }

        float[] xs = x.Items<float>();
        float[] sk = skip.Items<float>();
        float[] g = gamma.Items<float>();
        float[]? bi = bias?.Items<float>();
        var y = new float[xs.Length];
        var sum = new float[xs.Length];
        for (int off = 0; off < xs.Length; off += h)
        {
            int skOff = off % sk.Length;
            for (int i = 0; i < h; i++)
            {
                float v = xs[off + i] + sk[skOff + i];
                if (bi is not null)
                {
                    v += bi[i];
                }

                sum[off + i] = v;
            }

            float rms = Rms(sum.AsSpan(off, h), epsilon);
            Normalize(sum.AsSpan(off, h), rms, g, y.AsSpan(off, h));
        }

        return (TensorValue.Create(DataType.Float, [.. x.Shape], y), TensorValue.Create(DataType.Float, [.. x.Shape], sum));
    }

    /// <summary>
    /// One row of SimplifiedLayerNormalization with 16 or more elements, in MLAS's AVX2 LayerNorm kernel with its
    /// Simplified flag (the same reduction <see cref="LayerNormKernel"/> found for the variance): Σx² in eight fma
    /// lanes over full blocks of 8, folded (l0+l4, l1+l5, l2+l6, l3+l7, then (0+2)+(1+3)), the tail added in order (a
    /// first group of four by multiply and add, the rest by fma); inv = 1 / sqrt(Σx²/n + ε); y = (x·inv)·scale.
    /// </summary>
    private static float MlasRow(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, Span<float> y, float epsilon)
    {
        int n = x.Length;
        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                lanes[l] = MathF.FusedMultiplyAdd(x[i + l], x[i + l], lanes[l]);
            }
        }

        float sumSquares = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
        int tail = n - i;
        for (int k = 0; i < n; i++, k++)
        {
            if (tail >= 4 && k < 4)
            {
                float sq = x[i] * x[i];
                sumSquares += sq;
            }
            else
            {
                sumSquares = MathF.FusedMultiplyAdd(x[i], x[i], sumSquares);
            }
        }

        float inv = 1.0f / MathF.Sqrt((sumSquares / n) + epsilon);
        for (int h = 0; h < n; h++)
        {
            y[h] = x[h] * inv * scale[h];
        }

        return inv;
    }

    /// <summary>sqrt(Σv²/n + ε), the sum left to right with each square rounded before the add.</summary>
    private static float Rms(ReadOnlySpan<float> v, float epsilon)
    {
        float sumSquares = 0f;
        foreach (float e in v)
        {
            float sq = e * e;
            sumSquares += sq;
        }

        return MathF.Sqrt((sumSquares / v.Length) + epsilon);
    }

    private static void Normalize(ReadOnlySpan<float> v, float rms, ReadOnlySpan<float> gamma, Span<float> y)
    {
        for (int i = 0; i < v.Length; i++)
        {
            y[i] = v[i] / rms * gamma[i];
        }
    }
}
