using System.Numerics;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// ORT's quantized element-wise and reduction contrib ops (com.microsoft QLinearAdd, QLinearMul,
/// QLinearGlobalAveragePool, QLinearSoftmax), computed as its x86-64 CPU provider does (ort-cpu-semantics.md §2).
/// </summary>
internal static class QLinearElementwiseOps
{
    [OnnxOp("QLinearAdd", "com.microsoft")]
    public static TensorValue[] QLinearAdd(OpContext ctx) => Binary(ctx, add: true);

    [OnnxOp("QLinearMul", "com.microsoft")]
    public static TensorValue[] QLinearMul(OpContext ctx) => Binary(ctx, add: false);

    [OnnxOp("QLinearGlobalAveragePool", "com.microsoft")]
    public static TensorValue[] QLinearGlobalAveragePool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue? xZp = ctx.OptionalInput(2), yZp = ctx.OptionalInput(4);
        QuantOpArgs.Require8Bit(x, "X");
        QuantOpArgs.RequireSameType(xZp, x.Type, "x_zero_point");
        QuantOpArgs.RequireSameType(yZp, x.Type, "y_zero_point");
        if (x.Rank < 3)
        {
            throw new OpException($"X must have rank 3 or more, got {x.ShapeText}");
        }

        bool channelsLast = ctx.Int("channels_last", 0) != 0;
        int n = x.Shape[0];
        int c = channelsLast ? x.Shape[^1] : x.Shape[1];
        int image = x.Length / Math.Max(1, n * c);
        int[] outShape = [.. x.Shape];
        for (int d = channelsLast ? 1 : 2; d < (channelsLast ? x.Rank - 1 : x.Rank); d++)
        {
            outShape[d] = 1;
        }

        float xs = QuantOpArgs.Scale(ctx.Input(1), "x_scale"), ys = QuantOpArgs.Scale(ctx.Input(3), "y_scale");
        int xz = QuantOpArgs.ZeroPoint(xZp, "x_zero_point"), yz = QuantOpArgs.ZeroPoint(yZp, "y_zero_point");
        Array y = x.Type == DataType.UInt8 ? Gap<byte>(x, n, c, image, channelsLast, xs, xz, ys, yz) : Gap<sbyte>(x, n, c, image, channelsLast, xs, xz, ys, yz);
        return [TensorValue.Create(x.Type, outShape, y)];
    }

    [OnnxOp("QLinearSoftmax", "com.microsoft")]
    public static TensorValue[] QLinearSoftmax(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue? yZp = ctx.OptionalInput(4);
        QuantOpArgs.Require8Bit(x, "X");
        QuantOpArgs.RequireSameType(yZp, x.Type, "y_zero_point");
        if (!ctx.HasAttribute("opset"))
        {
            throw new OpException("attribute 'opset' is required");
        }

        int opset = checked((int)ctx.Int("opset"));
        if (x.Rank == 0)
        {
            throw new OpException("X must have rank 1 or more");
        }

        int axis = QuantOpArgs.Kernel(() => ShapeMath.NormalizeAxis(ctx.Int("axis", opset < 13 ? 1 : -1), x.Rank));
        float xs = QuantOpArgs.Scale(ctx.Input(1), "x_scale"), ys = QuantOpArgs.Scale(ctx.Input(3), "y_scale");
        int yz = QuantOpArgs.ZeroPoint(yZp, "y_zero_point");
        Parallelism parallelism = ctx.Options.Parallelism;
        Array y = x.Type == DataType.UInt8 ? Softmax<byte>(x, axis, opset, xs, ys, yz, parallelism) : Softmax<sbyte>(x, axis, opset, xs, ys, yz, parallelism);
        return [TensorValue.Create(x.Type, [.. x.Shape], y)];
    }

    private static T[] Softmax<T>(TensorValue x, int axis, int opset, float xScale, float yScale, int yZeroPoint, Parallelism parallelism)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        T[] data = x.Items<T>();
        // Every path below writes every element.
        T[] y = TensorArena.Allocate<T>(data.Length);
        if (data.Length == 0)
        {
            return y;
        }

        bool isSigned = x.Type == DataType.Int8;
        int inner = 1;
        for (int d = axis + 1; d < x.Rank; d++)
        {
            inner *= x.Shape[d];
        }

        if (opset < 13 || inner == 1)
        {
            // Opset < 13 flattens from the axis; with the axis innermost both readings are the same contiguous rows.
            int row = opset < 13 ? x.Shape[axis] * inner : x.Shape[axis];
            float[] table = Numerics.Kernels.QLinearSoftmax.BuildTable(xScale, row, isSigned);
            QuantOpArgs.Kernel(() =>
            {
                Numerics.Kernels.QLinearSoftmax.ComputeRows<T>(data, row, table, yScale, yZeroPoint, y, parallelism);
                return 0;
            });
            return y;
        }

        // Opset 13+: ORT transposes the axis last, runs rows, transposes back; gather/scatter does the same per row.
        int dAxis = x.Shape[axis];
        float[] t13 = Numerics.Kernels.QLinearSoftmax.BuildTable(xScale, dAxis, isSigned);
        var rowIn = new T[dAxis];
        var rowOut = new T[dAxis];
        int outer = data.Length / (dAxis * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int b = (o * dAxis * inner) + i;
                for (int d = 0; d < dAxis; d++)
                {
                    rowIn[d] = data[b + (d * inner)];
                }

                Numerics.Kernels.QLinearSoftmax.Compute<T>(rowIn, dAxis, t13, yScale, yZeroPoint, rowOut);
                for (int d = 0; d < dAxis; d++)
                {
                    y[b + (d * inner)] = rowOut[d];
                }
            }
        }

        return y;
    }

    private static T[] Gap<T>(TensorValue x, int n, int c, int image, bool channelsLast, float xs, int xz, float ys, int yz)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var y = new T[n * c];
        // ORT takes the NCHW kernel when C == 1 even with channels_last; the layouts coincide then.
        QuantOpArgs.Kernel(() =>
        {
            Numerics.Kernels.QLinearGlobalAveragePool.Compute<T>(x.Items<T>(), n, c, image, channelsLast && c != 1, xs, xz, ys, yz, y);
            return 0;
        });
        return y;
    }

    private static TensorValue[] Binary(OpContext ctx, bool add)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(3);
        TensorValue? aZp = ctx.OptionalInput(2), bZp = ctx.OptionalInput(5), cZp = ctx.OptionalInput(7);
        QuantOpArgs.Require8Bit(a, "A");
        if (b.Type != a.Type)
        {
            throw new OpException($"A is {DataTypeInfo.Name(a.Type)} but B is {DataTypeInfo.Name(b.Type)}");
        }

        QuantOpArgs.RequireSameType(aZp, a.Type, "A_zero_point");
        QuantOpArgs.RequireSameType(bZp, a.Type, "B_zero_point");
        QuantOpArgs.RequireSameType(cZp, a.Type, "C_zero_point");
        float sa = QuantOpArgs.Scale(ctx.Input(1), "A_scale"), sb = QuantOpArgs.Scale(ctx.Input(4), "B_scale"), sc = QuantOpArgs.Scale(ctx.Input(6), "C_scale");
        int za = QuantOpArgs.ZeroPoint(aZp, "A_zero_point"), zb = QuantOpArgs.ZeroPoint(bZp, "B_zero_point"), zc = QuantOpArgs.ZeroPoint(cZp, "C_zero_point");
        int[] outShape = [];
        Parallelism parallelism = ctx.Options.Parallelism;
        Array c = QuantOpArgs.Kernel(() => a.Type == DataType.UInt8
            ? (Array)BinaryTyped<byte>(a, sa, za, b, sb, zb, sc, zc, add, parallelism, out outShape)
            : BinaryTyped<sbyte>(a, sa, za, b, sb, zb, sc, zc, add, parallelism, out outShape));
        return [TensorValue.Create(a.Type, outShape, c)];
    }

    private static T[] BinaryTyped<T>(TensorValue a, float sa, int za, TensorValue b, float sb, int zb, float sc, int zc, bool add, Parallelism parallelism, out int[] outShape)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => add
        ? Numerics.Kernels.QLinearAdd.Compute<T>(a.Items<T>(), [.. a.Shape], sa, za, b.Items<T>(), [.. b.Shape], sb, zb, sc, zc, parallelism, out outShape)
        : Numerics.Kernels.QLinearMul.Compute<T>(a.Items<T>(), [.. a.Shape], sa, za, b.Items<T>(), [.. b.Shape], sb, zb, sc, zc, out outShape);
}
