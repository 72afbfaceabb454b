using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Arithmetic;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Size, ConstantOfShape, Expand, Range and Tile (Shape itself lives in <see cref="ConstantOps"/>).</summary>
internal static class ShapeOps
{
    [OnnxOp("Size")]
    public static TensorValue[] Size(OpContext ctx) => [TensorValue.Scalar(DataType.Int64, (long)ctx.Input(0).Length)];

    /// <summary>'value' (a one-element tensor of any type) defaults to float 0.</summary>
    [OnnxOp("ConstantOfShape", SinceVersion = 9)]
    public static TensorValue[] ConstantOfShape(OpContext ctx)
    {
        TensorValue value = ctx.Tensor("value") ?? TensorValue.Scalar(DataType.Float, 0f);
        long[] shape = Int64s(ctx.Input(0), "shape");
        ctx.Options.MemoryBudget.CheckTensor("output", value.Type, shape);
        return [OpGuard.Run(() => ShapeKernels.ConstantOfShape(shape, value))];
    }

    [OnnxOp("Expand", SinceVersion = 8)]
    public static TensorValue[] Expand(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long[] shape = Int64s(ctx.Input(1), "shape");
        CheckGathered(ctx, x.Type, BroadcastDims([.. x.Shape.Select(d => (long)d)], shape));
        return [OpGuard.Run(() => ShapeKernels.Expand(x, shape))];
    }

    [OnnxOp("Range", SinceVersion = 11)]
    public static TensorValue[] Range(OpContext ctx)
    {
        TensorValue start = ctx.Input(0), limit = ctx.Input(1), delta = ctx.Input(2);
        if (start.Length == 1 && limit.Length == 1 && delta.Length == 1)
        {
            // ONNX Range: max(ceil((limit - start) / delta), 0) elements, counted in double so no type wraps.
            double count = Math.Ceiling((Scalar(limit) - Scalar(start)) / Scalar(delta));
            long elements = double.IsNaN(count) || count <= 0 ? 0 : count >= long.MaxValue ? long.MaxValue : (long)count;
            ctx.Options.MemoryBudget.CheckTensor("output", start.Type, [elements]);
        }

        return [OpGuard.Run(() => ShapeKernels.Range(start, limit, delta))];
    }

    [OnnxOp("Tile", SinceVersion = 6)]
    public static TensorValue[] Tile(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long[] repeats = Int64s(ctx.Input(1), "repeats");
        if (repeats.Length == x.Rank)
        {
            CheckGathered(ctx, x.Type, [.. repeats.Select((r, d) => r < 0 ? 0 : x.Shape[d] > long.MaxValue / Math.Max(r, 1) ? long.MaxValue : x.Shape[d] * r)]);
        }

        return [OpGuard.Run(() => ShapeKernels.Tile(x, repeats))];
    }

    /// <summary>Expand and Tile build an int32 source index per output element, then the output: both must fit.</summary>
    private static void CheckGathered(OpContext ctx, DataType type, long[] dims)
    {
        ctx.Options.MemoryBudget.CheckTensor("output", type, dims);
        ctx.Options.MemoryBudget.CheckTensor("output index map", DataType.Int32, dims);
    }

    /// <summary>Numpy broadcasting of two shapes, lenient (a mismatch takes the larger dim; the kernel refuses it).</summary>
    private static long[] BroadcastDims(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            long db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            result[i] = Math.Max(da, db);
        }

        return result;
    }

    private static double Scalar(TensorValue t) => Convert.ToDouble(t.Data.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);

    private static long[] Int64s(TensorValue t, string what) => t.Type == DataType.Int64
        ? t.Items<long>()
        : throw new OpException($"{what} must be int64, got {DataTypeInfo.Name(t.Type)}");
}
