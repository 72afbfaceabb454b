using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Cast (default domain).</summary>
internal static class CastOps
{
    /// <summary>
    /// Cast: 'to' (required). Opset 19+: 'saturate' (default 1), used only by float8 targets (float4 always saturates).
    /// Strings are not supported.
    /// </summary>
    [OnnxOp("Cast", SinceVersion = 6)]
    public static TensorValue[] Cast(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        long to = ctx.Int("to");
        if (!Enum.IsDefined((DataType)to) || (DataType)to is DataType.Undefined or DataType.String or DataType.Complex64 or DataType.Complex128)
        {
            throw new OpException($"Cast to element type {to} is not supported");
        }

        bool saturate = ctx.Opset < 19 || ctx.Int("saturate", 1) != 0;
        try
        {
            return [Numerics.Kernels.Cast.Run(x, (DataType)to, saturate)];
        }
        catch (ArgumentException e)
        {
            throw new OpException(e.Message, e);
        }
    }
}
