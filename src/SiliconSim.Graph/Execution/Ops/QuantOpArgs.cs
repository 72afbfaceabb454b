using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Reading quantization parameters (scales, zero points) from op inputs, with ONNX's defaults.</summary>
internal static class QuantOpArgs
{
    /// <summary>A float or float16 scale tensor as fp32 values (float16 widens exactly).</summary>
    public static float[] Scales(TensorValue t, string name) => t.Data switch
    {
        float[] f => f.Length > 0 ? f : throw new OpException($"{name} is empty"),
        Half[] h => h.Length > 0 ? h.Select(v => (float)v).ToArray() : throw new OpException($"{name} is empty"),
        _ => throw new OpException($"{name} must be float or float16, got {DataTypeInfo.Name(t.Type)}"),
    };

    /// <summary>A per-tensor scale: exactly one value.</summary>
    public static float Scale(TensorValue t, string name)
    {
        float[] s = Scales(t, name);
        return s.Length == 1 ? s[0] : throw new OpException($"{name} must be a scalar (per-tensor), got shape {t.ShapeText}");
    }

    /// <summary>Zero points as ints; an omitted zero point is a single 0.</summary>
    public static int[] ZeroPoints(TensorValue? t, string name) => t?.Data switch
    {
        null => [0],
        byte[] b => b.Length > 0 ? b.Select(v => (int)v).ToArray() : throw new OpException($"{name} is empty"),
        sbyte[] s => s.Length > 0 ? s.Select(v => (int)v).ToArray() : throw new OpException($"{name} is empty"),
        int[] i => i.Length > 0 ? i : throw new OpException($"{name} is empty"),
        _ => throw new OpException($"{name} has unsupported type {DataTypeInfo.Name(t.Type)}"),
    };

    /// <summary>A per-tensor zero point.</summary>
    public static int ZeroPoint(TensorValue? t, string name)
    {
        int[] z = ZeroPoints(t, name);
        return z.Length == 1 ? z[0] : throw new OpException($"{name} must be a scalar (per-tensor), got shape {t!.ShapeText}");
    }

    /// <summary>Requires an 8-bit integer tensor.</summary>
    public static void Require8Bit(TensorValue t, string name)
    {
        if (t.Type is not (DataType.UInt8 or DataType.Int8))
        {
            throw new OpException($"{name} must be uint8 or int8, got {DataTypeInfo.Name(t.Type)}");
        }
    }

    /// <summary>A zero point's type must match its tensor's.</summary>
    public static void RequireSameType(TensorValue? zeroPoint, DataType type, string name)
    {
        if (zeroPoint is not null && zeroPoint.Type != type)
        {
            throw new OpException($"{name} is {DataTypeInfo.Name(zeroPoint.Type)} but its tensor is {DataTypeInfo.Name(type)}");
        }
    }

    /// <summary>Runs a kernel call, turning its argument errors into <see cref="OpException"/>.</summary>
    public static T Kernel<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ArgumentException e)
        {
            throw new OpException(e.Message, e);
        }
    }
}
