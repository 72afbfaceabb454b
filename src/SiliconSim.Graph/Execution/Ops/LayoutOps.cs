using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Layout;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// Ops that move elements without changing them, on any element type: Identity, Flatten, Reshape (shape input from
/// opset 5, allowzero from 14), Transpose, Squeeze/Unsqueeze (axes attribute before opset 13, input from 13), Concat,
/// Gather and Slice (attributes before opset 10, inputs from 10).
/// </summary>
internal static class LayoutOps
{
    [OnnxOp("Identity")]
    public static TensorValue[] Identity(OpContext ctx) => [ctx.Input(0)];

    [OnnxOp("Flatten")]
    public static TensorValue[] Flatten(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        return [OpGuard.Run(() => x.Reshape(LayoutKernels.FlattenShape(x.Shape.AsSpan(), ctx.Int("axis", 1))))];
    }

    [OnnxOp("Reshape")]
    public static TensorValue[] Reshape(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long[] shape = ctx.Opset < 5
            ? ctx.IntsOrNull("shape") ?? throw new OpException("attribute 'shape' is required")
            : OpGuard.Run(() => LayoutKernels.ToLongs(ctx.Input(1)));
        bool allowZero = ctx.Opset >= 14 && ctx.Int("allowzero", 0) != 0;
        return [OpGuard.Run(() => x.Reshape(LayoutKernels.ReshapeShape(x.Shape.AsSpan(), shape, allowZero)))];
    }

    [OnnxOp("Transpose")]
    public static TensorValue[] Transpose(OpContext ctx)
    {
        int[]? perm = ctx.IntsOrNull("perm")?.Select(p => checked((int)p)).ToArray();
        return [OpGuard.Run(() => LayoutKernels.Transpose(ctx.Input(0), perm))];
    }

    [OnnxOp("Squeeze")]
    public static TensorValue[] Squeeze(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long[]? axes = Axes(ctx);
        return [OpGuard.Run(() => x.Reshape(LayoutKernels.SqueezeShape(x.Shape.AsSpan(), axes)))];
    }

    [OnnxOp("Unsqueeze")]
    public static TensorValue[] Unsqueeze(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long[] axes = Axes(ctx) ?? throw new OpException("Unsqueeze needs axes");
        return [OpGuard.Run(() => x.Reshape(LayoutKernels.UnsqueezeShape(x.Shape.AsSpan(), axes)))];
    }

    [OnnxOp("Concat")]
    public static TensorValue[] Concat(OpContext ctx)
    {
        var inputs = new List<TensorValue>();
        for (int i = 0; i < ctx.InputCount; i++)
        {
            inputs.Add(ctx.Input(i));
        }

        // The output holds every input: their sizes summed (each input already fits, the sum may not).
        long bytes = inputs.Aggregate(0L, (sum, t) => sum + MemoryBudget.BytesFor(t.Type, t.Shape.AsSpan()));
        if (inputs.Count > 0 && bytes > ctx.Options.MemoryBudget.PerTensorBytes)
        {
            ctx.Options.MemoryBudget.CheckTensor("output", inputs[0].Type, [bytes / Math.Max(1, MemoryBudget.BytesFor(inputs[0].Type, ReadOnlySpan<long>.Empty))]);
        }

        return [OpGuard.Run(() => LayoutKernels.Concat(inputs, ctx.Int("axis")))];
    }

    [OnnxOp("Gather")]
    public static TensorValue[] Gather(OpContext ctx)
    {
        TensorValue data = ctx.Input(0);
        TensorValue indices = ctx.Input(1);
        try
        {
            return [OpGuard.Run(() => LayoutKernels.Gather(data, indices, ctx.Int("axis", 0)))];
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new OpException(e.Message, e);
        }
    }

    [OnnxOp("Slice")]
    public static TensorValue[] Slice(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        if (ctx.Opset < 10)
        {
            long[] s = ctx.IntsOrNull("starts") ?? throw new OpException("attribute 'starts' is required");
            long[] e = ctx.IntsOrNull("ends") ?? throw new OpException("attribute 'ends' is required");
            return [OpGuard.Run(() => LayoutKernels.Slice(x, s, e, ctx.IntsOrNull("axes"), null))];
        }

        return [OpGuard.Run(() => LayoutKernels.Slice(x, LayoutKernels.ToLongs(ctx.Input(1)), LayoutKernels.ToLongs(ctx.Input(2)),
            ctx.OptionalInput(3) is { } a ? LayoutKernels.ToLongs(a) : null,
            ctx.OptionalInput(4) is { } st ? LayoutKernels.ToLongs(st) : null))];
    }

    private static long[]? Axes(OpContext ctx) =>
        ctx.Opset < 13 ? ctx.IntsOrNull("axes") : ctx.OptionalInput(1) is { } t ? OpGuard.Run(() => LayoutKernels.ToLongs(t)) : null;
}
