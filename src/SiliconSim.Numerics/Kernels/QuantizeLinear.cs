using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX QuantizeLinear as ONNX Runtime's x86 CPU provider computes it, per tensor, per axis or blocked.
/// <para>Integer targets (int8, uint8, int16, uint16, int4, uint4, int2, uint2), MLAS MlasQuantizeLinear
/// (mlas/lib/quantize.cpp): v = x / s as one fp32 division (never a multiply by 1/s); v clamped in fp32 to
/// [qmin − z, qmax − z] with SSE max/min operand order, so NaN lands on qmin − z; rounded half to even (cvtps2dq);
/// then z added. Because the bounds are integers, clamping before rounding equals clamping after.</para>
/// <para>Float targets (float8 ×4): encode(x / s) with round to nearest even and the 'saturate' rule; the zero point
/// is not added (ORT's ParQuantizeLinearSat ignores it; ONNX requires it to be 0). float4e2m1: encode(x / s + zp)
/// as the ONNX reference does; float4 always saturates.</para>
/// Inputs x and scale may be float, float16 or bfloat16; both are widened exactly to fp32 first.
/// </summary>
public static class QuantizeLinear
{
    /// <summary>Quantizes <paramref name="x"/> to <paramref name="outputType"/>.</summary>
    /// <exception cref="ArgumentException">an unsupported type or mismatched shapes.</exception>
    public static TensorValue Run(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0, bool saturate = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (zeroPoint is not null && zeroPoint.Type != outputType)
        {
            throw new ArgumentException($"the zero point is {DataTypeInfo.Name(zeroPoint.Type)} but the output is {DataTypeInfo.Name(outputType)}");
        }

        var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
        float[] xs = TensorConvert.ToSingles(x);
        float[] scales = TensorConvert.ToSingles(scale);
        if (IsIntegerTarget(outputType))
        {
            int[] zps = zeroPoint is null ? new int[scales.Length] : TensorConvert.ToInt32s(zeroPoint);
            return TensorConvert.FromInt32s(outputType, x.Shape.AsSpan(), QuantizeIntegers(xs, scales, zps, layout, DataTypeInfo.IntegerRange(outputType)));
        }

        if (outputType is DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float4E2M1)
        {
            float[]? zps = outputType == DataType.Float4E2M1 && zeroPoint is not null ? TensorConvert.ToSingles(zeroPoint) : null;
            return TensorValue.Create(outputType, x.Shape.AsSpan(), QuantizeFloats(xs, scales, zps, layout, outputType, saturate));
        }

        throw new ArgumentException($"QuantizeLinear cannot produce {DataTypeInfo.Name(outputType)}");
    }

    /// <summary>True for the integer output types QuantizeLinear supports.</summary>
    public static bool IsIntegerTarget(DataType type) => type is DataType.Int8 or DataType.UInt8 or DataType.Int16
        or DataType.UInt16 or DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2;

    /// <summary>One element with MLAS's arithmetic: clamp(x / s, qmin − z, qmax − z) rounded half to even, plus z.</summary>
    public static int QuantizeOne(float x, float scale, int zeroPoint, int qmin, int qmax)
    {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        float v = x / scale;
        // _mm_max_ps(v, lo) returns its second operand unless v > lo, and _mm_min_ps(v, hi) its second unless v < hi:
        // NaN therefore becomes lo, i.e. qmin after adding z.
        v = v > lo ? v : lo;
        v = v < hi ? v : hi;
        return Rounding.ToInt32NearestEven(v) + zeroPoint;
    }

    private static int[] QuantizeIntegers(float[] xs, float[] scales, int[] zps, QuantLayout layout, (long Min, long Max) range)
    {
        var q = new int[xs.Length];
        int qmin = (int)range.Min;
        int qmax = (int)range.Max;
        int i = 0;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int a = 0; a < layout.AxisDim; a++)
            {
                if (layout.BlockSize == 0)
                {
                    int p = layout.ParamIndex(o, a, 0);
                    float s = scales[p];
                    int z = zps[p];
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        q[i] = QuantizeOne(xs[i], s, z, qmin, qmax);
                    }
                }
                else
                {
                    int p0 = layout.ParamIndex(o, a, 0);
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        q[i] = QuantizeOne(xs[i], scales[p0 + n], zps[p0 + n], qmin, qmax);
                    }
                }
            }
        }

        return q;
    }

    private static byte[] QuantizeFloats(float[] xs, float[] scales, float[]? zps, QuantLayout layout, DataType type, bool saturate)
    {
        var q = new byte[xs.Length];
        int i = 0;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int a = 0; a < layout.AxisDim; a++)
            {
                for (int n = 0; n < layout.Inner; n++, i++)
                {
                    int p = layout.ParamIndex(o, a, n);
                    float v = xs[i] / scales[p];
                    if (zps is not null)
                    {
                        v += zps[p];
                    }

                    q[i] = MiniFloats.Encode(type, v, saturate);
                }
            }
        }

        return q;
    }
}
