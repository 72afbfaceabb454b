using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Logic;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Comparisons (Less, LessOrEqual, Greater, GreaterOrEqual, Equal), Not, And, Or, Xor and Where, all with numpy
/// broadcasting (opset 7+; earlier opsets' broadcast/axis attributes are rejected).</summary>
internal static class LogicOps
{
    [OnnxOp("Less", SinceVersion = 7)]
    public static TensorValue[] Less(OpContext ctx) => Compare(ctx, CompareOp.Less);

    [OnnxOp("LessOrEqual", SinceVersion = 12)]
    public static TensorValue[] LessOrEqual(OpContext ctx) => Compare(ctx, CompareOp.LessOrEqual);

    [OnnxOp("Greater", SinceVersion = 7)]
    public static TensorValue[] Greater(OpContext ctx) => Compare(ctx, CompareOp.Greater);

    [OnnxOp("GreaterOrEqual", SinceVersion = 12)]
    public static TensorValue[] GreaterOrEqual(OpContext ctx) => Compare(ctx, CompareOp.GreaterOrEqual);

    [OnnxOp("Equal", SinceVersion = 7)]
    public static TensorValue[] Equal(OpContext ctx) => Compare(ctx, CompareOp.Equal);

    [OnnxOp("Not")]
    public static TensorValue[] Not(OpContext ctx) => [OpGuard.Run(() => LogicKernels.Not(ctx.Input(0)))];

    [OnnxOp("And", SinceVersion = 7)]
    public static TensorValue[] And(OpContext ctx) => [OpGuard.Run(() => LogicKernels.Boolean(BoolOp.And, ctx.Input(0), ctx.Input(1)))];

    [OnnxOp("Or", SinceVersion = 7)]
    public static TensorValue[] Or(OpContext ctx) => [OpGuard.Run(() => LogicKernels.Boolean(BoolOp.Or, ctx.Input(0), ctx.Input(1)))];

    [OnnxOp("Xor", SinceVersion = 7)]
    public static TensorValue[] Xor(OpContext ctx) => [OpGuard.Run(() => LogicKernels.Boolean(BoolOp.Xor, ctx.Input(0), ctx.Input(1)))];

    [OnnxOp("Where", SinceVersion = 9)]
    public static TensorValue[] Where(OpContext ctx) => [OpGuard.Run(() => LogicKernels.Where(ctx.Input(0), ctx.Input(1), ctx.Input(2)))];

    private static TensorValue[] Compare(OpContext ctx, CompareOp op) => [OpGuard.Run(() => LogicKernels.Compare(op, ctx.Input(0), ctx.Input(1)))];
}
