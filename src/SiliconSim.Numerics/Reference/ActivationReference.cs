using SiliconSim.Numerics.Kernels.Activation;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain mathematical statements of the activation kernels, in double and rounded once: what MLAS's polynomial
/// kernels approximate (<see cref="MlasMath"/>). Properties bound the kernels' distance from these.
/// </summary>
public static class ActivationReference
{
    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    public static float Tanh(float x) => (float)Math.Tanh(x);

    public static float Exp(float x) => (float)Math.Exp(x);

    public static float Erf(float x) => (float)ActivationMath.Erf(x);

    /// <summary>x·Φ(x) = 0.5·x·(1 + erf(x/√2)).</summary>
    public static float Gelu(float x) => (float)(0.5 * x * (1.0 + ActivationMath.Erf(x / Math.Sqrt(2.0))));

    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    public static float GeluTanh(float x)
    {
        double v = x;
        return (float)(0.5 * v * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * (v + (0.044715 * v * v * v)))));
    }

    /// <summary>Softmax of one row in double: exp(x − max) / Σ exp(x − max).</summary>
    public static float[] SoftmaxRow(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row)
        {
            max = Math.Max(max, v);
        }

        var e = new double[row.Length];
        double sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            e[i] = Math.Exp(row[i] - max);
            sum += e[i];
        }

        return e.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>LayerNorm of one row in double (two-pass mean and variance); returns y, mean and 1/std.</summary>
    public static (float[] Y, float Mean, float InvStdDev) LayerNormRow(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, float epsilon)
    {
        int n = x.Length;
        double mean = 0;
        foreach (float v in x)
        {
            mean += v;
        }

        mean /= n;
        double var = 0;
        foreach (float v in x)
        {
            var += (v - mean) * (v - mean);
        }

        double inv = 1.0 / Math.Sqrt((var / n) + epsilon);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (float)(((x[i] - mean) * inv * scale[i]) + (bias.IsEmpty ? 0 : bias[i]));
        }

        return (y, (float)mean, (float)inv);
    }
}
