namespace SiliconSim.Numerics.Kernels.Activation;

/// <summary>
/// Unary float activations as ONNX Runtime's CPU provider computes them on x86-64 (AVX512F machine):
/// Sigmoid → MlasComputeLogistic, Tanh → MlasComputeTanh, Exp → MlasComputeExp, Erf → MlasComputeErf (see
/// <see cref="MlasMath"/> for each recipe); Gelu (opset 20, providers/cpu/tensor/gelu.cc) as x·√½ in fp32, MLAS erf,
/// then (0.5·x)·(erf + 1), or with approximate="tanh" x·((C·x)·x + B), MLAS tanh, then (0.5·x)·(t + 1);
/// LeakyRelu, Sqrt as single IEEE operations. Double tensors use the plain libm functions (ORT runs them through Eigen).
/// </summary>
public static class ActivationKernels
{
    // gelu.cc: B = sqrt(2/pi), C = 0.044715·sqrt(2/pi), both as fp32 literals.
    private const float GeluTanhB = 0.7978845608028654f;
    private const float GeluTanhC = 0.035677408136300125f;
    private const float SqrtHalf = 0.70710678118654752440f; // M_SQRT1_2 cast to float

    /// <summary>1 / (1 + e^−x) by MLAS's logistic rational approximation (fp32).</summary>
    public static TensorValue Sigmoid(TensorValue x) => Map(x, MlasMath.Logistic, v => 1.0 / (1.0 + Math.Exp(-v)), "Sigmoid");

    /// <summary>tanh by MLAS's rational approximation (fp32).</summary>
    public static TensorValue Tanh(TensorValue x) => Map(x, MlasMath.Tanh, Math.Tanh, "Tanh");

    /// <summary>e^x by MLAS's AVX512F exp kernel (fp32).</summary>
    public static TensorValue Exp(TensorValue x) => Map(x, MlasMath.Exp, Math.Exp, "Exp");

    /// <summary>erf by MLAS's polynomial kernel (fp32).</summary>
    public static TensorValue Erf(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Type != DataType.Float)
        {
            return Map(x, MlasMath.Erf, ErfDouble, "Erf");
        }

        // ErfSpan writes every element.
        float[] y = TensorArena.Allocate<float>(x.Length);
        MlasMath.ErfSpan(x.Items<float>(), y);
        return TensorValue.Create(x.Type, [.. x.Shape], y);
    }

    /// <summary>Correctly rounded square root (one IEEE operation).</summary>
    public static TensorValue Sqrt(TensorValue x) => Map(x, MathF.Sqrt, Math.Sqrt, "Sqrt");

    /// <summary>x ≥ 0 ? x : alpha·x, one fp32 multiply (activations.h).</summary>
    public static TensorValue LeakyRelu(TensorValue x, float alpha) =>
        Map(x, v => v >= 0f ? v : alpha * v, v => v >= 0d ? v : alpha * v, "LeakyRelu");

    /// <summary>Gelu (ONNX opset 20) in ORT's order; <paramref name="approximate"/> is "none" or "tanh".</summary>
    /// <exception cref="ArgumentException">an unknown approximation or a non-float tensor.</exception>
    public static TensorValue Gelu(TensorValue x, string approximate)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Type != DataType.Float)
        {
            throw new ArgumentException($"Gelu supports float only, got {DataTypeInfo.Name(x.Type)}");
        }

        float[] input = x.Items<float>();
        var y = new float[input.Length];
        switch (approximate)
        {
            case "none":
                for (int i = 0; i < input.Length; i++)
                {
                    float e = MlasMath.Erf(input[i] * SqrtHalf);
                    y[i] = 0.5f * input[i] * (e + 1.0f);
                }

                break;
            case "tanh":
                for (int i = 0; i < input.Length; i++)
                {
                    float v = input[i];
                    float t = MlasMath.Tanh(v * ((GeluTanhC * v * v) + GeluTanhB));
                    y[i] = 0.5f * v * (t + 1.0f);
                }

                break;
            default:
                throw new ArgumentException($"Gelu approximate '{approximate}' is not 'none' or 'tanh'");
        }

        return TensorValue.Create(DataType.Float, [.. x.Shape], y);
    }

    /// <summary>
    /// base^exponent with numpy broadcasting, as ORT's Pow (element_wise_ops.cc): a scalar exponent of exactly 2 or 3
    /// is x·x or x·x·x, everything else is libm pow in the base's precision (fp32 powf for float bases).
    /// </summary>
    /// <exception cref="ArgumentException">unsupported types or shapes that do not broadcast.</exception>
    public static TensorValue Pow(TensorValue x, TensorValue exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(exponent);
        double[] e = ToDoubles(exponent);
        int[] shape = ShapeMath.Broadcast(x.Shape.AsSpan(), exponent.Shape.AsSpan());
        int count = checked((int)ShapeMath.ElementCount(shape));
        int[] xIndex = BroadcastIndex(x.Shape.AsSpan(), shape);
        int[] eIndex = BroadcastIndex(exponent.Shape.AsSpan(), shape);
        bool scalarExponent = e.Length == 1;
        switch (x.Type)
        {
            case DataType.Float:
                {
                    float[] b = x.Items<float>();
                    var y = new float[count];
                    for (int i = 0; i < count; i++)
                    {
                        float v = b[xIndex[i]];
                        double p = e[eIndex[i]];
                        y[i] = scalarExponent && p == 2.0 ? v * v
                            : scalarExponent && p == 3.0 ? v * v * v
                            : MathF.Pow(v, (float)p);
                    }

                    return TensorValue.Create(DataType.Float, shape, y);
                }

            case DataType.Double:
                {
                    double[] b = x.Items<double>();
                    var y = new double[count];
                    for (int i = 0; i < count; i++)
                    {
                        double v = b[xIndex[i]];
                        double p = e[eIndex[i]];
                        y[i] = scalarExponent && p == 2.0 ? v * v : scalarExponent && p == 3.0 ? v * v * v : Math.Pow(v, p);
                    }

                    return TensorValue.Create(DataType.Double, shape, y);
                }

            case DataType.Int32:
                {
                    int[] b = x.Items<int>();
                    var y = new int[count];
                    for (int i = 0; i < count; i++)
                    {
                        y[i] = unchecked((int)(long)Math.Pow(b[xIndex[i]], e[eIndex[i]]));
                    }

                    return TensorValue.Create(DataType.Int32, shape, y);
                }

            case DataType.Int64:
                {
                    long[] b = x.Items<long>();
                    var y = new long[count];
                    for (int i = 0; i < count; i++)
                    {
                        y[i] = (long)Math.Pow(b[xIndex[i]], e[eIndex[i]]);
                    }

                    return TensorValue.Create(DataType.Int64, shape, y);
                }

            default:
                throw new ArgumentException($"Pow does not support a {DataTypeInfo.Name(x.Type)} base");
        }
    }

    /// <summary>For each output element (row-major over <paramref name="outShape"/>), the flat index into a tensor of
    /// <paramref name="inShape"/> broadcast to it (numpy rules, right-aligned).</summary>
    internal static int[] BroadcastIndex(ReadOnlySpan<int> inShape, int[] outShape)
    {
        int count = checked((int)ShapeMath.ElementCount(outShape));
        int rank = outShape.Length;
        int offset = rank - inShape.Length;
        int[] inStrides = ShapeMath.Strides(inShape);
        var index = new int[count];
        var pos = new int[rank];
        for (int i = 0; i < count; i++)
        {
            int flat = 0;
            for (int d = offset; d < rank; d++)
            {
                int dim = inShape[d - offset];
                flat += dim == 1 ? 0 : pos[d] * inStrides[d - offset];
            }

            index[i] = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++pos[d] < outShape[d])
                {
                    break;
                }

                pos[d] = 0;
            }
        }

        return index;
    }

    private static double[] ToDoubles(TensorValue t) => t.Type switch
    {
        DataType.Float => t.Items<float>().Select(v => (double)v).ToArray(),
        DataType.Double => t.Items<double>(),
        DataType.Int32 => t.Items<int>().Select(v => (double)v).ToArray(),
        DataType.Int64 => t.Items<long>().Select(v => (double)v).ToArray(),
        _ => throw new ArgumentException($"Pow does not support a {DataTypeInfo.Name(t.Type)} exponent"),
    };

    private static TensorValue Map(TensorValue x, Func<float, float> f, Func<double, double> d, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => TensorValue.Create(x.Type, [.. x.Shape], Array.ConvertAll(x.Items<float>(), v => f(v))),
            DataType.Double => TensorValue.Create(x.Type, [.. x.Shape], Array.ConvertAll(x.Items<double>(), v => d(v))),
            _ => throw new ArgumentException($"{op} supports float and double, got {DataTypeInfo.Name(x.Type)}"),
        };
    }

    private static double ErfDouble(double v) => ActivationMath.Erf(v);
}
