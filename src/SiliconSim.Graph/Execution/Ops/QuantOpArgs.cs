using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Reading quantization parameters (scales, zero points) from op inputs, with ONNX's defaults.</summary>
internal static class QuantOpArgs
{
    /// <summary>A float or float16 scale tensor as fp32 values (float16 widens exactly).</summary>
    public static float[] Scales(TensorValue t, string name)
    {
        float[] values = t.Type switch
        {
            DataType.Float => t.Items<float>(),
            DataType.Float16 => [.. t.Items<Half>().Select(v => (float)v)],
            _ => throw new OpException($"{name} must be float or float16, got {DataTypeInfo.Name(t.Type)}"),
        };
        return values.Length > 0 ? values : throw new OpException($"{name} is empty");
    }

    /// <summary>A per-tensor scale: exactly one value.</summary>
    public static float Scale(TensorValue t, string name)
    {
        float[] s = Scales(t, name);
        return s.Length == 1 ? s[0] : throw new OpException($"{name} must be a scalar (per-tensor), got shape {t.ShapeText}");
    }

    /// <summary>Zero points as ints; an omitted zero point is a single 0.</summary>
    /// <remarks>Dispatches on <see cref="TensorValue.Type"/>, not on the array: the CLR lets an sbyte[] pass as byte[].</remarks>
    public static int[] ZeroPoints(TensorValue? t, string name)
    {
        if (t is null)
        {
            return [0];
        }

        int[] values = t.Type switch
        {
            DataType.UInt8 => [.. t.Items<byte>().Select(v => (int)v)],
            DataType.Int8 => [.. t.Items<sbyte>().Select(v => (int)v)],
            DataType.Int32 => t.Items<int>(),
            _ => throw new OpException($"{name} has unsupported type {DataTypeInfo.Name(t.Type)}"),
        };
        return values.Length > 0 ? values : throw new OpException($"{name} is empty");
    }

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
