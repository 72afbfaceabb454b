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
    /// <param name="parallelism">Threads for the elements; the bits do not depend on it (every element is computed alone).</param>
    /// <exception cref="ArgumentException">an unsupported type or mismatched shapes.</exception>
    public static TensorValue Run(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0, Parallelism parallelism = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (zeroPoint is not null && zeroPoint.Type != x.Type)
        {
            throw new ArgumentException($"the zero point is {DataTypeInfo.Name(zeroPoint.Type)} but x is {DataTypeInfo.Name(x.Type)}");
        }

        var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
        if (outputType == DataType.Float && scale.Type == DataType.Float && layout.BlockSize == 0 && x.Type is DataType.Int8 or DataType.UInt8 or DataType.Int32)
        {
            return TensorValue.Create(DataType.Float, x.Shape.AsSpan(), Vectorised(x, scale.Items<float>(), zeroPoint, layout, parallelism));
        }

        return RunScalar(x, scale, zeroPoint, outputType, layout);
    }

    /// <summary>The scalar reference of <see cref="Run"/>: one element at a time, every layout and type.</summary>
    public static TensorValue RunScalar(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (zeroPoint is not null && zeroPoint.Type != x.Type)
        {
            throw new ArgumentException($"the zero point is {DataTypeInfo.Name(zeroPoint.Type)} but x is {DataTypeInfo.Name(x.Type)}");
        }

        var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
        return RunScalar(x, scale, zeroPoint, outputType, layout);
    }

    // int8, uint8 and int32 codes to fp32, per tensor or per axis, through QdqVectors' rows.
    private static float[] Vectorised(TensorValue x, float[] scales, TensorValue? zeroPoint, QuantLayout layout, Parallelism parallelism)
    {
        int[] zps = zeroPoint is null ? new int[scales.Length] : TensorConvert.ToInt32s(zeroPoint);
        float[] y = TensorArena.Allocate<float>(x.Length);
        if (!layout.PerTensor && layout.Inner == 1 && x.Type == DataType.Int8)
        {
            // Per axis on the last axis: each row of AxisDim elements takes the scales and zero points element-wise.
            sbyte[] codes = x.Items<sbyte>();
            int rowLength = layout.AxisDim;
            parallelism.ForRanges(layout.Outer, (first, end) =>
            {
                for (int row = first; row < end; row++)
                {
                    int at = row * rowLength;
                    QdqVectors.DequantizeRowPerElement(codes.AsSpan(at, rowLength), zps, scales, y.AsSpan(at, rowLength));
                }
            }, Math.Max(1, QdqVectors.MinElementsPerThread / Math.Max(1, rowLength)));
            return y;
        }

        layout.ForEachRun(x.Length, parallelism, QdqVectors.MinElementsPerThread, (start, end, p) =>
        {
            Span<float> dst = y.AsSpan(start, end - start);
            switch (x.Type)
            {
                case DataType.Int8:
                    QdqVectors.DequantizeRow(x.Items<sbyte>().AsSpan(start, end - start), zps[p], scales[p], dst);
                    break;
                case DataType.UInt8:
                    QdqVectors.DequantizeRow(x.Items<byte>().AsSpan(start, end - start), zps[p], scales[p], dst);
                    break;
                default:
                    QdqVectors.DequantizeRow(x.Items<int>().AsSpan(start, end - start), zps[p], scales[p], dst);
                    break;
            }
        });
        return y;
    }

    private static TensorValue RunScalar(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, QuantLayout layout)
    {
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
