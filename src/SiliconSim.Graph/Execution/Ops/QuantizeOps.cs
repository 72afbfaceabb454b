using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear (default domain), opsets 10 to 25.</summary>
internal static class QuantizeOps
{
    /// <summary>
    /// QuantizeLinear. Opset 10-12: per-tensor only. 13+: 'axis' (default 1). 19+: 'saturate' (default 1, float8 only).
    /// 21+: 'block_size' (default 0) and 'output_dtype' (default 0: the zero point's type, else uint8).
    /// 23+: 'precision' (only the default fp32 division is supported).
    /// </summary>
    [OnnxOp("QuantizeLinear", SinceVersion = 10)]
    public static TensorValue[] Quantize(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue scale = ctx.Input(1);
        TensorValue? zeroPoint = ctx.OptionalInput(2);
        CheckPerTensorBefore13(ctx, scale, zeroPoint);
        long axis = ctx.Opset >= 13 ? ctx.Int("axis", 1) : 1;
        bool saturate = ctx.Opset < 19 || ctx.Int("saturate", 1) != 0;
        long blockSize = ctx.Opset >= 21 ? ctx.Int("block_size", 0) : 0;
        long outputDtype = ctx.Opset >= 21 ? ctx.Int("output_dtype", 0) : 0;
        long precision = ctx.Opset >= 23 ? ctx.Int("precision", 0) : 0;
        if (precision is not 0 and not (long)DataType.Float)
        {
            throw new OpException($"precision {precision} is not supported: only fp32 division (as ORT's CPU kernels do)");
        }

        DataType outputType;
        if (zeroPoint is not null)
        {
            if (outputDtype != 0 && outputDtype != (long)zeroPoint.Type)
            {
                throw new OpException($"output_dtype {outputDtype} differs from the zero point type {DataTypeInfo.Name(zeroPoint.Type)}");
            }

            outputType = zeroPoint.Type;
        }
        else
        {
            outputType = outputDtype != 0 ? (DataType)outputDtype : DataType.UInt8;
        }

        CheckFloatInput(x, "x");
        CheckFloatInput(scale, "y_scale");
        return Guard<TensorValue[]>(() => [QuantizeLinear.Run(x, scale, zeroPoint, outputType, axis, blockSize, saturate, ctx.Options.Parallelism)]);
    }

    /// <summary>
    /// DequantizeLinear. Opset 10-12: per-tensor only. 13+: 'axis' (default 1). 19+: the output has the scale's type
    /// (float or float16; bfloat16 too). 21+: 'block_size'. 23+: 'output_dtype' (default 0: the scale's type).
    /// </summary>
    [OnnxOp("DequantizeLinear", SinceVersion = 10)]
    public static TensorValue[] Dequantize(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue scale = ctx.Input(1);
        TensorValue? zeroPoint = ctx.OptionalInput(2);
        CheckPerTensorBefore13(ctx, scale, zeroPoint);
        long axis = ctx.Opset >= 13 ? ctx.Int("axis", 1) : 1;
        long blockSize = ctx.Opset >= 21 ? ctx.Int("block_size", 0) : 0;
        long outputDtype = ctx.Opset >= 23 ? ctx.Int("output_dtype", 0) : 0;
        CheckFloatInput(scale, "x_scale");
        DataType outputType = outputDtype != 0 ? (DataType)outputDtype : scale.Type;
        if (outputType is not (DataType.Float or DataType.Float16 or DataType.BFloat16))
        {
            throw new OpException($"DequantizeLinear cannot produce {DataTypeInfo.Name(outputType)}");
        }

        if (ctx.Opset < 19 && outputType != DataType.Float)
        {
            throw new OpException($"DequantizeLinear-{ctx.Opset} takes a float scale, not {DataTypeInfo.Name(scale.Type)}");
        }

        return Guard<TensorValue[]>(() => [DequantizeLinear.Run(x, scale, zeroPoint, outputType, axis, blockSize, ctx.Options.Parallelism)]);
    }

    /// <summary>DynamicQuantizeLinear (opset 11): uint8 output with its computed scale and zero point.</summary>
    [OnnxOp("DynamicQuantizeLinear", SinceVersion = 11)]
    public static TensorValue[] DynamicQuantize(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        var (y, scale, zeroPoint) = Guard(() => DynamicQuantizeLinear.Run(x));
        return [y, scale, zeroPoint];
    }

    private static void CheckPerTensorBefore13(OpContext ctx, TensorValue scale, TensorValue? zeroPoint)
    {
        // Opsets 10-12 define scale and zero point as scalars; per-axis arrived with 'axis' in opset 13.
        if (ctx.Opset < 13 && (scale.Length != 1 || (zeroPoint is not null && zeroPoint.Length != 1)))
        {
            throw new OpException($"opset {ctx.Opset} allows only a per-tensor scale and zero point, got {scale.ShapeText}");
        }
    }

    private static void CheckFloatInput(TensorValue t, string name)
    {
        if (t.Type is not (DataType.Float or DataType.Float16 or DataType.BFloat16 or DataType.Int32))
        {
            throw new OpException($"{name} must be float, float16, bfloat16 or int32, not {DataTypeInfo.Name(t.Type)}");
        }
    }

    private static T Guard<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            throw new OpException(e.Message, e);
        }
    }
}
