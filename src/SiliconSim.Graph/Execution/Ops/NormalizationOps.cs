using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Normalization;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>LayerNormalization (opset 17+): axis (default −1), epsilon (default 1e-5), optional bias, and the optional
/// Mean and InvStdDev outputs.</summary>
internal static class NormalizationOps
{
    [OnnxOp("LayerNormalization")]
    public static TensorValue[] LayerNormalization(OpContext ctx)
    {
        if (ctx.HasAttribute("stash_type") && ctx.Int("stash_type", 1) != 1)
        {
            throw new OpException("LayerNormalization supports stash_type 1 (float) only");
        }

        TensorValue x = ctx.Input(0);
        TensorValue scale = ctx.Input(1);
        TensorValue? bias = ctx.OptionalInput(2);
        LayerNormResult r = OpGuard.Run(() => LayerNormKernel.Compute(x, scale, bias, ctx.Int("axis", -1), ctx.Float("epsilon", 1e-5f)));
        return [r.Y, r.Mean, r.InvStdDev];
    }
}
