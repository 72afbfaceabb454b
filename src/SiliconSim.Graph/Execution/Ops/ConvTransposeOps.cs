using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.ConvTranspose;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>fp32 ConvTranspose (1-D/2-D/3-D; group, dilations, pads, output_padding, output_shape, auto_pad).</summary>
internal static class ConvTransposeOps
{
    [OnnxOp("ConvTranspose")]
    public static TensorValue[] ConvTranspose(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        TensorValue w = ctx.Input(1);
        TensorValue? b = ctx.OptionalInput(2);
        if (x.Type != DataType.Float || w.Type != DataType.Float || (b is not null && b.Type != DataType.Float))
        {
            throw new OpException($"ConvTranspose supports float only, got X {DataTypeInfo.Name(x.Type)}, W {DataTypeInfo.Name(w.Type)}");
        }

        if (ctx.IntsOrNull("kernel_shape") is { } ks && !ks.Select(k => (int)k).SequenceEqual(w.Shape.Skip(2)))
        {
            throw new OpException($"kernel_shape [{string.Join(',', ks)}] disagrees with W {w.ShapeText}");
        }

        int group = checked((int)ctx.Int("group", 1));
        return OpGuard.Run(() =>
        {
            var g = ConvTransposeGeometry.Resolve(x.Shape.AsSpan(), w.Shape.AsSpan(), group, ctx.IntsOrNull("strides"),
                ctx.IntsOrNull("dilations"), ctx.IntsOrNull("pads"), ctx.IntsOrNull("output_padding"),
                ctx.IntsOrNull("output_shape"), ctx.String("auto_pad", "NOTSET"));
            if (b is not null && (b.Rank != 1 || b.Shape[0] != g.OutChannels))
            {
                throw new ArgumentException($"bias must be [{g.OutChannels}], got {b.ShapeText}");
            }

            float[] y = ConvTransposeKernel.Compute(x.Items<float>(), w.Items<float>(), b is null ? [] : b.Items<float>(), g);
            return new[] { TensorValue.FromFloats(g.OutputShape, y) };
        });
    }
}
