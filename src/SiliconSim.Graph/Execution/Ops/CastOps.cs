using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Cast (default domain).</summary>
internal static class CastOps
{
    /// <summary>
    /// Cast: 'to' (required). Opset 19+: 'saturate' (default 1), used only by float8 targets (float4 always saturates).
    /// Opset 24+: 'round_mode' ("up" default, "down", "nearest") for float8e8m0 targets. Strings are not supported.
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
        RoundingMode e8m0 = (ctx.Opset >= 24 ? ctx.String("round_mode", "up") : "up") switch
        {
            "up" => RoundingMode.Up,
            "down" => RoundingMode.Down,
            "nearest" => RoundingMode.NearestEven,
            string other => throw new OpException($"round_mode '{other}' is not one of up, down, nearest"),
        };
        try
        {
            return [Numerics.Kernels.Cast.Run(x, (DataType)to, saturate, e8m0)];
        }
        catch (ArgumentException e)
        {
            throw new OpException(e.Message, e);
        }
    }
}
