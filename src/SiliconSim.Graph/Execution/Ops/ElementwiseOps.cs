using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Elementwise;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// Add, Sub, Mul, Div (numpy broadcasting from opset 7; the legacy broadcast/axis attributes of opset ≤ 6 are
/// rejected), Relu and Clip (min/max attributes before opset 11, optional inputs from 11).
/// </summary>
internal static class ElementwiseOps
{
    [OnnxOp("Add")]
    public static TensorValue[] Add(OpContext ctx) => Binary(ctx, BinaryOp.Add);

    [OnnxOp("Sub")]
    public static TensorValue[] Sub(OpContext ctx) => Binary(ctx, BinaryOp.Sub);

    [OnnxOp("Mul")]
    public static TensorValue[] Mul(OpContext ctx) => Binary(ctx, BinaryOp.Mul);

    [OnnxOp("Div")]
    public static TensorValue[] Div(OpContext ctx) => Binary(ctx, BinaryOp.Div);

    [OnnxOp("Relu")]
    public static TensorValue[] Relu(OpContext ctx) => [OpGuard.Run(() => ElementwiseKernels.Relu(ctx.Input(0)))];

    [OnnxOp("Clip")]
    public static TensorValue[] Clip(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue? min;
        TensorValue? max;
        if (ctx.Opset < 11)
        {
            if (x.Type != DataType.Float)
            {
                throw new OpException($"Clip before opset 11 supports float only, got {DataTypeInfo.Name(x.Type)}");
            }

            min = ctx.HasAttribute("min") ? TensorValue.Scalar(DataType.Float, ctx.Float("min", float.MinValue)) : null;
            max = ctx.HasAttribute("max") ? TensorValue.Scalar(DataType.Float, ctx.Float("max", float.MaxValue)) : null;
        }
        else
        {
            min = ctx.OptionalInput(1);
            max = ctx.OptionalInput(2);
            if ((min is not null && min.Type != x.Type) || (max is not null && max.Type != x.Type))
            {
                throw new OpException("Clip min/max must have the input's element type");
            }
        }

        return [OpGuard.Run(() => ElementwiseKernels.Clip(x, min, max))];
    }

    private static TensorValue[] Binary(OpContext ctx, BinaryOp op)
    {
        if (ctx.Opset < 7 && ctx.Int("broadcast", 0) != 0)
        {
            throw new OpException($"{op} with the legacy broadcast attribute (opset < 7) is not supported");
        }

        return [OpGuard.Run(() => ElementwiseKernels.Binary(op, ctx.Input(0), ctx.Input(1)))];
    }
}
