using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Arithmetic;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Neg, Abs, Mod (fmod attribute, default 0) and variadic Min/Max with numpy broadcasting (opset 8+).</summary>
internal static class MathOps
{
    [OnnxOp("Neg", SinceVersion = 6)]
    public static TensorValue[] Neg(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Neg(ctx.Input(0)))];

    [OnnxOp("Abs", SinceVersion = 6)]
    public static TensorValue[] Abs(OpContext ctx) => [OpGuard.Run(() => ArithmeticKernels.Abs(ctx.Input(0)))];

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
