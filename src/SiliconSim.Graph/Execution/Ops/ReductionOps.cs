using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Reduction;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// ReduceSum/Mean/Max/Min/Prod/SumSquare/L1/L2 and ArgMax/ArgMin. The axes are an attribute until the op's axes-as-input
/// version (ReduceSum 13, the others 18) and the optional second input from then on, where noop_with_empty_axes
/// (default 0) makes empty axes an identity instead of "every axis"; keepdims defaults to 1.
/// </summary>
internal static class ReductionOps
{
    [OnnxOp("ReduceSum")]
    public static TensorValue[] ReduceSum(OpContext ctx) => Reduce(ctx, ReduceOp.Sum, 13);

    [OnnxOp("ReduceMean")]
    public static TensorValue[] ReduceMean(OpContext ctx) => Reduce(ctx, ReduceOp.Mean, 18);

    [OnnxOp("ReduceMax")]
    public static TensorValue[] ReduceMax(OpContext ctx) => Reduce(ctx, ReduceOp.Max, 18);

    [OnnxOp("ReduceMin")]
    public static TensorValue[] ReduceMin(OpContext ctx) => Reduce(ctx, ReduceOp.Min, 18);

    [OnnxOp("ReduceProd")]
    public static TensorValue[] ReduceProd(OpContext ctx) => Reduce(ctx, ReduceOp.Prod, 18);

    [OnnxOp("ReduceSumSquare")]
    public static TensorValue[] ReduceSumSquare(OpContext ctx) => Reduce(ctx, ReduceOp.SumSquare, 18);

    [OnnxOp("ReduceL1")]
    public static TensorValue[] ReduceL1(OpContext ctx) => Reduce(ctx, ReduceOp.L1, 18);

    [OnnxOp("ReduceL2")]
    public static TensorValue[] ReduceL2(OpContext ctx) => Reduce(ctx, ReduceOp.L2, 18);

    [OnnxOp("ArgMax")]
    public static TensorValue[] ArgMax(OpContext ctx) => Arg(ctx, true);

    [OnnxOp("ArgMin")]
    public static TensorValue[] ArgMin(OpContext ctx) => Arg(ctx, false);

    private static TensorValue[] Reduce(OpContext ctx, ReduceOp op, int axesInputSince)
    {
        TensorValue x = ctx.Input(0);
        bool keepDims = ctx.Int("keepdims", 1) != 0;
        long[]? axes;
        bool noop = false;
        if (ctx.Opset >= axesInputSince)
        {
            TensorValue? axesTensor = ctx.OptionalInput(1);
            if (axesTensor is not null && axesTensor.Type != DataType.Int64)
            {
                throw new OpException($"axes must be int64, got {DataTypeInfo.Name(axesTensor.Type)}");
            }

            axes = axesTensor?.Items<long>();
            noop = ctx.Int("noop_with_empty_axes", 0) != 0;
        }
        else
        {
            axes = ctx.IntsOrNull("axes");
        }

        return [OpGuard.Run(() => ReduceKernels.Reduce(op, x, axes, keepDims, noop))];
    }

    private static TensorValue[] Arg(OpContext ctx, bool max)
    {
        TensorValue x = ctx.Input(0);
        long axis = ctx.Int("axis", 0);
        bool keepDims = ctx.Int("keepdims", 1) != 0;
        bool last = ctx.Int("select_last_index", 0) != 0;
        return [OpGuard.Run(() => ReduceKernels.ArgMinMax(max, x, axis, keepDims, last))];
    }
}
