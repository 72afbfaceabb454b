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
        return [OpGuard.Run(() => ShapeKernels.ConstantOfShape(Int64s(ctx.Input(0), "shape"), value))];
    }

    [OnnxOp("Expand", SinceVersion = 8)]
    public static TensorValue[] Expand(OpContext ctx) =>
        [OpGuard.Run(() => ShapeKernels.Expand(ctx.Input(0), Int64s(ctx.Input(1), "shape")))];

    [OnnxOp("Range", SinceVersion = 11)]
    public static TensorValue[] Range(OpContext ctx) =>
        [OpGuard.Run(() => ShapeKernels.Range(ctx.Input(0), ctx.Input(1), ctx.Input(2)))];

    [OnnxOp("Tile", SinceVersion = 6)]
    public static TensorValue[] Tile(OpContext ctx) =>
        [OpGuard.Run(() => ShapeKernels.Tile(ctx.Input(0), Int64s(ctx.Input(1), "repeats")))];

    private static long[] Int64s(TensorValue t, string what) => t.Type == DataType.Int64
        ? t.Items<long>()
        : throw new OpException($"{what} must be int64, got {DataTypeInfo.Name(t.Type)}");
}
