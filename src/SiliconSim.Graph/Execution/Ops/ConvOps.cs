using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>fp32 Conv (opset 1, 11, 22: identical semantics for float) through <see cref="FloatConv"/>, MLAS's order.</summary>
internal static class ConvOps
{
    [OnnxOp("Conv")]
    public static TensorValue[] Conv(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue w = ctx.Input(1);
        TensorValue? b = ctx.OptionalInput(2);
        if (x.Type != DataType.Float || w.Type != DataType.Float || (b is not null && b.Type != DataType.Float))
        {
            throw new OpException($"Conv supports float only, got X {DataTypeInfo.Name(x.Type)}, W {DataTypeInfo.Name(w.Type)}");
        }

        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw new OpException($"Conv needs X [N,C,...] and W of the same rank, got {x.ShapeText} and {w.ShapeText}");
        }

        int group = checked((int)ctx.Int("group", 1));
        int[] kernel = ctx.IntsOrNull("kernel_shape") is { } ks ? ks.Select(k => checked((int)k)).ToArray() : [.. w.Shape.Skip(2)];
        if (!kernel.SequenceEqual(w.Shape.Skip(2)))
        {
            throw new OpException($"kernel_shape [{string.Join(',', kernel)}] disagrees with W {w.ShapeText}");
        }

        int m = w.Shape[0];
        if (group <= 0 || x.Shape[1] % group != 0 || m % group != 0 || w.Shape[1] != x.Shape[1] / group)
        {
            throw new OpException($"group {group} does not fit X {x.ShapeText} and W {w.ShapeText}");
        }

        if (b is not null && (b.Rank != 1 || b.Shape[0] != m))
        {
            throw new OpException($"bias must be [{m}], got {b.ShapeText}");
        }

        return OpGuard.Run(() =>
        {
            var g = ConvGeometry.Resolve(x.Shape.AsSpan(), m, kernel, ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"),
                ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), group);
            float[] y = FloatConv.Conv(x.Items<float>(), w.Items<float>(), b is null ? [] : b.Items<float>(), g, ctx.Options.Parallelism);
            return new[] { TensorValue.FromFloats(g.OutputShape, y) };
        });
    }
}
