using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// MaxPool (any ordered type; Indices output from opset 8, ceil_mode 10, dilations 11, int8/uint8 12), AveragePool
/// (count_include_pad 7, ceil_mode 10, dilations 19; fp32), GlobalAveragePool (fp32) and GlobalMaxPool.
/// </summary>
internal static class PoolOps
{
    [OnnxOp("MaxPool")]
    public static TensorValue[] MaxPool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        ConvGeometry g = Geometry(ctx, x);
        bool wantIndices = ctx.Node.Outputs.Length > 1 && ctx.Node.Outputs[1].Length > 0;
        int storageOrder = (int)ctx.Int("storage_order", 0);
        long[]? indices = null;
        // Dispatch on the ONNX type: the CLR lets byte[] pass as sbyte[].
        Array y = OpGuard.Run<Array>(() => x.Type switch
        {
            DataType.Float => PoolKernels.MaxPool<float>(x.Items<float>(), g, float.MinValue, out indices, wantIndices, storageOrder),
            DataType.Double => PoolKernels.MaxPool<double>(x.Items<double>(), g, double.MinValue, out indices, wantIndices, storageOrder),
            DataType.Float16 => PoolKernels.MaxPool<Half>(x.Items<Half>(), g, Half.MinValue, out indices, wantIndices, storageOrder),
            DataType.Int8 => PoolKernels.MaxPool<sbyte>(x.Items<sbyte>(), g, sbyte.MinValue, out indices, wantIndices, storageOrder),
            DataType.UInt8 => PoolKernels.MaxPool<byte>(x.Items<byte>(), g, byte.MinValue, out indices, wantIndices, storageOrder),
            _ => throw new ArgumentException($"MaxPool does not support {DataTypeInfo.Name(x.Type)}"),
        });
        var result = TensorValue.Create(x.Type, g.OutputShape, y);
        return indices is null ? [result] : [result, TensorValue.Create(DataType.Int64, g.OutputShape, indices)];
    }

    /// <summary>
    /// <c>siliconsim.MaxPool</c>: MaxPool over fp8 codes, which <see cref="Passes.LowPrecisionArrayMapping"/> makes by
    /// moving a per-tensor fp8 QuantizeLinear above a MaxPool (Q is monotone, so Q(max x) = max Q(x) exactly). The codes
    /// decode exactly to float, the float kernel picks the maximum, and the maximum encodes back to its own code.
    /// </summary>
    [OnnxOp("MaxPool", Passes.NchwcSelection.Domain)]
    public static TensorValue[] MaxPoolCodes(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        (Func<byte, float> decode, Func<float, byte> encode) = x.Type switch
        {
            DataType.Float8E4M3FN => ((Func<byte, float>)Fp8E4M3Fn.Decode, (Func<float, byte>)(v => Fp8E4M3Fn.Encode(v))),
            DataType.Float8E5M2 => (Fp8E5M2.Decode, v => Fp8E5M2.Encode(v)),
            _ => throw new OpException($"siliconsim.MaxPool takes fp8 codes, got {DataTypeInfo.Name(x.Type)}"),
        };
        ConvGeometry g = Geometry(ctx, x);
        float[] values = [.. x.Items<byte>().Select(decode)];
        float[] y = OpGuard.Run(() => PoolKernels.MaxPool<float>(values, g, float.MinValue, out _, false, 0));
        return [TensorValue.Create(x.Type, g.OutputShape, y.Select(encode).ToArray())];
    }

    [OnnxOp("AveragePool")]
    public static TensorValue[] AveragePool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        RequireFloat(x, "AveragePool");
        ConvGeometry g = Geometry(ctx, x);
        bool includePad = ctx.Int("count_include_pad", 0) != 0;
        // ORT runs AveragePool 7-18 through MLAS and 19+ (dilations) through the generic pool functors; with
        // count_include_pad and ceil_mode together it takes the generic path too (found against ORT 1.31, see
        // PoolOrtTests: the MLAS divisor would be the full kernel volume, ORT's is the taps inside the padded input).
        bool ceil = ctx.Opset >= 10 && ctx.Int("ceil_mode", 0) != 0;
        bool useMlas = ctx.Opset < 19 && !(ceil && includePad);
        return [OpGuard.Run(() => TensorValue.FromFloats(g.OutputShape, PoolKernels.AveragePool(x.Items<float>(), g, includePad, useMlas)))];
    }

    [OnnxOp("GlobalAveragePool")]
    public static TensorValue[] GlobalAveragePool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        RequireFloat(x, "GlobalAveragePool");
        (int channels, int size, int[] shape) = Global(x);
        return [TensorValue.FromFloats(shape, PoolKernels.GlobalAveragePool(x.Items<float>(), channels, size))];
    }

    [OnnxOp("GlobalMaxPool")]
    public static TensorValue[] GlobalMaxPool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        (int channels, int size, int[] shape) = Global(x);
        Array y = OpGuard.Run<Array>(() => x.Type switch
        {
            DataType.Float => PoolKernels.GlobalMaxPool<float>(x.Items<float>(), channels, size),
            DataType.Double => PoolKernels.GlobalMaxPool<double>(x.Items<double>(), channels, size),
            DataType.Float16 => PoolKernels.GlobalMaxPool<Half>(x.Items<Half>(), channels, size),
            DataType.Int8 => PoolKernels.GlobalMaxPool<sbyte>(x.Items<sbyte>(), channels, size),
            DataType.UInt8 => PoolKernels.GlobalMaxPool<byte>(x.Items<byte>(), channels, size),
            _ => throw new ArgumentException($"GlobalMaxPool does not support {DataTypeInfo.Name(x.Type)}"),
        });
        return [TensorValue.Create(x.Type, shape, y)];
    }

    private static void RequireFloat(TensorValue x, string op)
    {
        if (x.Type != DataType.Float)
        {
            throw new OpException($"{op} supports float only, got {DataTypeInfo.Name(x.Type)}");
        }
    }

    private static (int Channels, int Size, int[] Shape) Global(TensorValue x)
    {
        if (x.Rank < 3)
        {
            throw new OpException($"global pooling needs N x C x spatial..., got {x.ShapeText}");
        }

        int size = 1;
        for (int d = 2; d < x.Rank; d++)
        {
            size *= x.Shape[d];
        }

        if (size == 0)
        {
            throw new OpException($"global pooling over an empty spatial extent {x.ShapeText}");
        }

        int[] shape = [x.Shape[0], x.Shape[1], .. Enumerable.Repeat(1, x.Rank - 2)];
        return (x.Shape[0] * x.Shape[1], size, shape);
    }

    private static ConvGeometry Geometry(OpContext ctx, TensorValue x)
    {
        long[] kernel = ctx.IntsOrNull("kernel_shape") ?? throw new OpException("attribute 'kernel_shape' is required");
        if (x.Rank < 3 || kernel.Length != x.Rank - 2)
        {
            throw new OpException($"kernel_shape has {kernel.Length} dims for input {x.ShapeText}");
        }

        bool ceil = ctx.Opset >= 10 && ctx.Int("ceil_mode", 0) != 0;
        long[]? dilations = ctx.Opset >= 10 ? ctx.IntsOrNull("dilations") : null;
        return OpGuard.Run(() => ConvGeometry.Resolve(x.Shape.AsSpan(), x.Shape[1], kernel.Select(k => checked((int)k)).ToArray(),
            ctx.IntsOrNull("strides"), dilations, ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), 1, ceil));
    }
}
