using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>CastLike (opset 15): Cast to the element type of the second input; opset 19+ honours 'saturate' (default 1).</summary>
internal static class CastLikeOps
{
    [OnnxOp("CastLike", SinceVersion = 15)]
    public static TensorValue[] CastLike(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        DataType to = ctx.Input(1).Type;
        if (to is DataType.String or DataType.Complex64 or DataType.Complex128)
        {
            throw new OpException($"CastLike to {DataTypeInfo.Name(to)} is not supported");
        }

        bool saturate = ctx.Opset < 19 || ctx.Int("saturate", 1) != 0;
        return [OpGuard.Run(() => Numerics.Kernels.Cast.Run(x, to, saturate))];
    }
}
