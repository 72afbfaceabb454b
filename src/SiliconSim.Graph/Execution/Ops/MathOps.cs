using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Elementwise;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Neg, Abs, Round, Reciprocal, Mod (fmod attribute, default 0) and variadic Min/Max/Sum with numpy
/// broadcasting (opset 8+).</summary>
internal static class MathOps
{
    [OnnxOp("Neg", SinceVersion = 6)]
    public static TensorValue[] Neg(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Neg(ctx.Input(0)))];

    [OnnxOp("Abs", SinceVersion = 6)]
    public static TensorValue[] Abs(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Abs(ctx.Input(0)))];

    [OnnxOp("Round", SinceVersion = 11)]
    public static TensorValue[] Round(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Round(ctx.Input(0)))];

    [OnnxOp("Reciprocal", SinceVersion = 6)]
    public static TensorValue[] Reciprocal(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Reciprocal(ctx.Input(0)))];

    /// <summary>Sum folds left, ((x0 + x1) + x2) + ..., as ORT's variadic Sum does.</summary>
    [OnnxOp("Sum", SinceVersion = 8)]
    public static TensorValue[] Sum(OpContext ctx)
    {
        TensorValue[] inputs = Inputs(ctx);
        return [OpGuard.Run(() => inputs.Skip(1).Aggregate(inputs[0], (acc, x) => ElementwiseKernels.Binary(BinaryOp.Add, acc, x)))];
    }

    [OnnxOp("Mod", SinceVersion = 10)]
    public static TensorValue[] Mod(OpContext ctx)
    {
        bool fmod = ctx.Int("fmod", 0) != 0;
        return [OpGuard.Run(() => ArithmeticKernels.Mod(ctx.Input(0), ctx.Input(1), fmod))];
    }

    [OnnxOp("Min", SinceVersion = 8)]
    public static TensorValue[] Min(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.MinMax(false, Inputs(ctx)))];

    [OnnxOp("Max", SinceVersion = 8)]
    public static TensorValue[] Max(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.MinMax(true, Inputs(ctx)))];

    private static TensorValue[] Inputs(OpContext ctx)
    {
        var inputs = new TensorValue[ctx.InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ctx.Input(i);
        }

        return inputs;
    }
}
