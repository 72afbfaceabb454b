using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Activation;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// Float activations and unary math: Sigmoid, Tanh, Exp, Erf, Sqrt, LeakyRelu, Gelu (opset 20), Pow and Softmax
/// (opset &lt; 13 flattens at axis, default 1; opset ≥ 13 normalises along axis, default −1), in ORT's arithmetic.
/// </summary>
internal static class ActivationOps
{
    [OnnxOp("Sigmoid")]
    public static TensorValue[] Sigmoid(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Sigmoid(ctx.Input(0)))];

    [OnnxOp("Tanh")]
    public static TensorValue[] Tanh(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Tanh(ctx.Input(0)))];

    [OnnxOp("Exp")]
    public static TensorValue[] Exp(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Exp(ctx.Input(0)))];

    [OnnxOp("Erf")]
    public static TensorValue[] Erf(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Erf(ctx.Input(0)))];

    [OnnxOp("Sqrt")]
    public static TensorValue[] Sqrt(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Sqrt(ctx.Input(0)))];

    [OnnxOp("LeakyRelu")]
    public static TensorValue[] LeakyRelu(OpContext ctx) =>
        [OpGuard.Run(() => ActivationKernels.LeakyRelu(ctx.Input(0), ctx.Float("alpha", 0.01f)))];

    [OnnxOp("Gelu")]
    public static TensorValue[] Gelu(OpContext ctx) =>
        [OpGuard.Run(() => ActivationKernels.Gelu(ctx.Input(0), ctx.String("approximate", "none")))];

    [OnnxOp("Pow")]
    public static TensorValue[] Pow(OpContext ctx) => [OpGuard.Run(() => ActivationKernels.Pow(ctx.Input(0), ctx.Input(1)))];

    [OnnxOp("Softmax")]
    public static TensorValue[] Softmax(OpContext ctx)
    {
        bool flatten = ctx.Opset < 13;
        long axis = ctx.Int("axis", flatten ? 1 : -1);
        return [OpGuard.Run(() => SoftmaxKernel.Softmax(ctx.Input(0), axis, flatten))];
    }
}
