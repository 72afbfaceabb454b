using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// The float kernels ORT runs after its NCHWc rewrite (see <see cref="NchwcSelection"/>), on NCHW tensors: the same
/// attributes as Conv / AveragePool / GlobalAveragePool, MLAS's NCHWc summation order.
/// </summary>
internal static class NchwcOps
{
    [OnnxOp("NchwcConv", NchwcSelection.Domain)]
    public static TensorValue[] Conv(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue w = ctx.Input(1);
        TensorValue? b = ctx.OptionalInput(2);
        TensorValue? sum = ctx.OptionalInput(3);
        int group = checked((int)ctx.Int("group", 1));
        int[] kernel = [.. w.Shape.Skip(2)];
        return OpGuard.Run(() =>
        {
            var g = ConvGeometry.Resolve(x.Shape.AsSpan(), w.Shape[0], kernel, ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"),
                ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), group);
            if (!NchwcConv.Applies(g))
            {
                throw new OpException($"the NCHWc conv does not apply to X {x.ShapeText}, W {w.ShapeText}, group {group}");
            }

            if (sum is not null && !sum.Shape.SequenceEqual(g.OutputShape))
            {
                throw new OpException($"the fused Sum input {sum.ShapeText} does not have the conv's output shape");
            }

            float[] y = NchwcConv.Conv(x.Items<float>(), w.Items<float>(), b is null ? [] : b.Items<float>(), g, sum is null ? default : sum.Items<float>());
            return new[] { TensorValue.FromFloats(g.OutputShape, y) };
        });
    }

    [OnnxOp("NchwcGlobalAveragePool", NchwcSelection.Domain)]
    public static TensorValue[] GlobalAveragePool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        if (!FillsBlocks(x))
        {
            return PoolOps.GlobalAveragePool(ctx);
        }

        var g = ConvGeometry.Resolve(x.Shape.AsSpan(), x.Shape[1], [.. x.Shape.Skip(2)], null, null, null, "NOTSET", 1);
        return [TensorValue.FromFloats(g.OutputShape, PoolKernels.NchwcAveragePool(x.Items<float>(), g, countIncludePad: false))];
    }

    [OnnxOp("NchwcAveragePool", NchwcSelection.Domain)]
    public static TensorValue[] AveragePool(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        // Verified against ORT for 4-D, 16k-channel pools without ceil_mode; anything else keeps the NCHW kernel.
        if (!FillsBlocks(x) || ctx.Int("ceil_mode", 0) != 0)
        {
            return PoolOps.AveragePool(ctx);
        }

        long[] kernel = ctx.IntsOrNull("kernel_shape") ?? throw new OpException("attribute 'kernel_shape' is required");
        return OpGuard.Run(() =>
        {
            var g = ConvGeometry.Resolve(x.Shape.AsSpan(), x.Shape[1], kernel.Select(k => checked((int)k)).ToArray(), ctx.IntsOrNull("strides"), null,
                ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), 1);
            return new[] { TensorValue.FromFloats(g.OutputShape, PoolKernels.NchwcAveragePool(x.Items<float>(), g, ctx.Int("count_include_pad", 0) != 0)) };
        });
    }

    private static bool FillsBlocks(TensorValue x) => x.Type == DataType.Float && x.Rank == 4 && x.Shape[1] % NchwcConv.BlockSize == 0;
}
