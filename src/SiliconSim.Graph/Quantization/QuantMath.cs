using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// The arithmetic of ONNX Runtime's Python quantizer (onnxruntime/python/tools/quantization/quant_utils.py and
/// base_quantizer.py), reproduced operation by operation in the precision numpy uses, so that scales, zero points,
/// quantized weights and int32 biases come out bit for bit as ORT writes them.
/// </summary>
public static class QuantMath
{
    // numpy.finfo(float32).tiny, the bound below which compute_scale_zp gives up on the range.
    private const float SmallestNormal = 1.17549435E-38f;

    /// <summary>The [qmin, qmax] of <paramref name="type"/> (quant_utils.get_qmin_qmax_for_qType): the reduced range
    /// first, then the symmetric range (-127..127, 0..254), else the full range.</summary>
    public static (int Min, int Max) QRange(DataType type, bool reduceRange, bool symmetric) => (type, reduceRange, symmetric) switch
    {
        (DataType.UInt8, true, _) => (0, 127),
        (DataType.Int8, true, _) => (-64, 64),
        (DataType.UInt8, false, true) => (0, 254),
        (DataType.Int8, false, true) => (-127, 127),
        (DataType.UInt8, false, false) => (0, 255),
        (DataType.Int8, false, false) => (-128, 127),
        _ => throw new NotSupportedException($"quantization to {DataTypeInfo.Name(type)} is not supported (int8 and uint8 are)"),
    };

    /// <summary>
    /// quant_utils.compute_scale_zp: the range is widened to hold 0 (in fp32), made symmetric when asked, then
    /// <c>scale = float64(fp32(rmax - rmin)) / float64(qmax - qmin)</c>; the zero point is
    /// <c>round_half_even(qmin - float64(rmin) / scale)</c> (or the midpoint of [qmin, qmax] when symmetric), and the
    /// scale is finally rounded to fp32. A scale below fp32's smallest normal becomes 1 with zero point 0.
    /// </summary>
    public static (float Scale, int ZeroPoint) ComputeScaleZp(float rmin, float rmax, int qmin, int qmax, bool symmetric)
    {
        rmin = Math.Min(rmin, 0f);
        rmax = Math.Max(rmax, 0f);
        if (symmetric)
        {
            float absmax = Math.Max(Math.Abs(rmin), Math.Abs(rmax));
            rmin = -absmax;
            rmax = absmax;
        }

        double dr = rmax - rmin; // numpy subtracts the fp32 arrays in fp32, then widens
        double scale = dr / ((double)qmax - qmin);
        if (scale < SmallestNormal)
        {
            return (1f, 0);
        }

        double zp = symmetric ? Math.Round((qmin + qmax) / 2.0) : Math.Round(qmin - (rmin / scale));
        return ((float)scale, (int)zp);
    }

    /// <summary>
    /// quant_utils.quantize_nparray for 8-bit types: <c>round_half_even(fp32(x) / scale) + zero_point</c> in fp32,
    /// clipped to the type's full range.
    /// </summary>
    public static int QuantizeValue(float x, float scale, int zeroPoint, DataType type)
    {
        (int qmin, int qmax) = QRange(type, reduceRange: false, symmetric: false);
        float q = MathF.Round(x / scale) + zeroPoint;
        q = Math.Clamp(q, qmin, qmax);
        return (int)q;
    }

    /// <summary>
    /// Quantizes a weight the way ORT's quantize_data does: per tensor when <paramref name="axis"/> is null, else one
    /// (scale, zero point) per slice along <paramref name="axis"/>. Ranges come from the data (min and max, widened to
    /// hold 0). Returns the quantized tensor and the scales and zero points in channel order.
    /// </summary>
    public static (TensorValue Quantized, float[] Scales, int[] ZeroPoints) QuantizeWeight(TensorValue weight, DataType type, bool symmetric, bool reduceRange, int? axis)
    {
        ArgumentNullException.ThrowIfNull(weight);
        float[] w = weight.Items<float>();
        int[] shape = [.. weight.Shape];
        (int qmin, int qmax) = QRange(type, reduceRange, symmetric);
        int channels = axis is int a ? shape[a] : 1;
        int inner = 1;
        if (axis is int ax)
        {
            for (int d = ax + 1; d < shape.Length; d++)
            {
                inner *= shape[d];
            }
        }
        else
        {
            inner = w.Length;
        }

        int outer = w.Length / Math.Max(1, channels * inner);
        var scales = new float[channels];
        var zps = new int[channels];
        var q = new int[w.Length];
        for (int c = 0; c < channels; c++)
        {
            float min = 0f, max = 0f;
            bool any = false;
            for (int o = 0; o < outer; o++)
            {
                int start = ((o * channels) + c) * inner;
                for (int i = 0; i < inner; i++)
                {
                    float v = w[start + i];
                    if (!any)
                    {
                        min = v;
                        max = v;
                        any = true;
                    }
                    else
                    {
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }
                }
            }

            (float s, int z) = any ? ComputeScaleZp(min, max, qmin, qmax, symmetric) : (1f, 0);
            scales[c] = s;
            zps[c] = z;
            for (int o = 0; o < outer; o++)
            {
                int start = ((o * channels) + c) * inner;
                for (int i = 0; i < inner; i++)
                {
                    q[start + i] = QuantizeValue(w[start + i], s, z, type);
                }
            }
        }

        return (ToTensor(type, shape, q), scales, zps);
    }

    /// <summary>
    /// base_quantizer.quantize_bias_static_impl: <c>bias_scale = fp32(input_scale * weight_scale[c] * beta)</c>, then
    /// <c>round_half_even(float64(bias) / float64(bias_scale))</c> clipped to int32.
    /// </summary>
    public static (int[] Quantized, float[] BiasScales) QuantizeBias(float[] bias, float inputScale, float[] weightScales, float beta)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(weightScales);
        var scales = new float[weightScales.Length];
        for (int c = 0; c < scales.Length; c++)
        {
            scales[c] = inputScale * weightScales[c] * beta;
        }

        var q = new int[bias.Length];
        for (int i = 0; i < bias.Length; i++)
        {
            float s = scales.Length == 1 ? scales[0] : scales[i];
            double v = Math.Round(bias[i] / (double)s);
            q[i] = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }

        return (q, scales);
    }

    /// <summary>A tensor of <paramref name="type"/> (int8 or uint8) holding <paramref name="values"/>.</summary>
    public static TensorValue ToTensor(DataType type, int[] shape, int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return type switch
        {
            DataType.Int8 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (sbyte)v)),
            DataType.UInt8 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (byte)v)),
            DataType.Int32 => TensorValue.Create(type, shape, (int[])values.Clone()),
            _ => throw new NotSupportedException($"quantization to {DataTypeInfo.Name(type)} is not supported"),
        };
    }
}
