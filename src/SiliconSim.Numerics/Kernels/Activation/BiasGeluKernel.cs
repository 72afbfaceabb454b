namespace SiliconSim.Numerics.Kernels.Activation;

/// <summary>
/// com.microsoft BiasGelu on fp32 as ORT's CPU kernel computes it (contrib_ops/cpu/bert/bias_gelu.cc, AddBiasGelu with
/// use_approximation = false), per element of X with the bias repeated along the last dimension:
/// v = x + bias; t = v·(1/√2) with 1/√2 the fp32 quotient 1f / 1.41421356f; e = MLAS erf(t) (<see cref="MlasMath.Erf"/>);
/// y = (v·0.5)·(e + 1). Every step rounds to fp32; this differs from the unfused Div/Erf/Add/Mul/Mul chain, which
/// divides by √2 and multiplies by 0.5 last.
/// </summary>
public static class BiasGeluKernel
{
    private const float Sqrt2 = 1.41421356237309504880f;

    // Computed at run time so the quotient is one IEEE fp32 division, as the C++ constant expression is.
    private static readonly float s_inverseSqrt2 = 1f / Sqrt2;

    /// <summary>Gelu(X + bias) in ORT's BiasGelu order.</summary>
    /// <exception cref="ArgumentException">non-float tensors, or a bias that is not 1-D with X's last dimension.</exception>
    public static TensorValue BiasGelu(TensorValue x, TensorValue bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(bias);
        if (x.Type != DataType.Float || bias.Type != DataType.Float)
        {
            throw new ArgumentException($"BiasGelu supports float only, got {DataTypeInfo.Name(x.Type)} and {DataTypeInfo.Name(bias.Type)}");
        }

        // bias_gelu_helper.cc: bias is 1-D and matches X's last dimension.
        if (bias.Rank != 1 || x.Rank < 1 || x.Shape[^1] != bias.Shape[0])
        {
            throw new ArgumentException($"BiasGelu bias {bias.ShapeText} must be 1-D with X's last dimension (X {x.ShapeText})");
        }

        float[] input = x.Items<float>();
        float[] b = bias.Items<float>();
        int n = b.Length;
        var y = new float[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            float v = input[i] + b[i % n];
            float e = MlasMath.Erf(v * s_inverseSqrt2);
            float half = v * 0.5f;
            y[i] = half * (e + 1.0f);
        }

        return TensorValue.Create(DataType.Float, [.. x.Shape], y);
    }
}
