using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX DequantizeLinear as ONNX Runtime's CPU provider computes it (quantize_linear.cc, DequantizeLinearApply):
/// integer x: y = float(int32(x) − int32(zp)) · s, an exact (wrapping) int32 subtraction, a conversion to fp32 and one
/// fp32 multiply; float8/float4 x: y = decode(x) · s (a zero point, which ONNX requires to be 0 for float8, is
/// subtracted as decode(zp) only when it is not +0, as the ONNX reference does). The fp32 product is then rounded to
/// the output type (float16 and bfloat16 to nearest even), per tensor, per axis or blocked.
/// </summary>
public static class DequantizeLinear
{
    /// <summary>Dequantizes <paramref name="x"/> to <paramref name="outputType"/> (float, float16 or bfloat16).</summary>
    /// <exception cref="ArgumentException">an unsupported type or mismatched shapes.</exception>
    public static TensorValue Run(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (zeroPoint is not null && zeroPoint.Type != x.Type)
        {
            throw new ArgumentException($"the zero point is {DataTypeInfo.Name(zeroPoint.Type)} but x is {DataTypeInfo.Name(x.Type)}");
        }

        var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
        float[] scales = TensorConvert.ToSingles(scale);
        var y = new float[x.Length];
        if (x.Type is DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16 or DataType.Int32
            or DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2)
        {
            int[] xs = TensorConvert.ToInt32s(x);
            int[] zps = zeroPoint is null ? new int[scales.Length] : TensorConvert.ToInt32s(zeroPoint);
            int i = 0;
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int a = 0; a < layout.AxisDim; a++)
                {
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        int p = layout.ParamIndex(o, a, n);
                        y[i] = DequantizeOne(xs[i], zps[p], scales[p]);
                    }
                }
            }
        }
        else if (MiniFloats.IsMiniFloat(x.Type) && x.Type != DataType.Float8E8M0)
        {
            byte[] codes = x.Items<byte>();
            byte[]? zps = zeroPoint?.Items<byte>();
            int i = 0;
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int a = 0; a < layout.AxisDim; a++)
                {
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        int p = layout.ParamIndex(o, a, n);
                        float v = MiniFloats.Decode(x.Type, codes[i]);
                        if (zps is not null && zps[p] != 0)
                        {
                            v -= MiniFloats.Decode(x.Type, zps[p]);
                        }

                        y[i] = v * scales[p];
                    }
                }
            }
        }
        else
        {
            throw new ArgumentException($"DequantizeLinear cannot read {DataTypeInfo.Name(x.Type)}");
        }

        return TensorConvert.FromSingles(outputType, x.Shape.AsSpan(), y);
    }

    /// <summary>One integer element: float(x − zp) · s with a wrapping int32 subtraction, as ORT's C++ does.</summary>
    public static float DequantizeOne(int x, int zeroPoint, float scale) => unchecked(x - zeroPoint) * scale;
}
