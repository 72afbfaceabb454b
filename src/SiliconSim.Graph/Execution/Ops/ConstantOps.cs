using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Constant, Shape and Identity: ops that produce values without arithmetic.</summary>
internal static class ConstantOps
{
    [OnnxOp("Constant")]
    public static TensorValue[] Constant(OpContext ctx)
    {
        var attrs = ctx.Node.Attributes;
        if (attrs.TryGetValue("value", out var v) && v.Tensor is not null)
        {
            return [v.Tensor];
        }

        if (attrs.TryGetValue("value_float", out var f))
        {
            return [TensorValue.Scalar(DataType.Float, f.Float)];
        }

        if (attrs.TryGetValue("value_floats", out var fs))
        {
            return [TensorValue.Create(DataType.Float, [fs.Floats.Length], fs.Floats.ToArray())];
        }

        if (attrs.TryGetValue("value_int", out var i))
        {
            return [TensorValue.Scalar(DataType.Int64, i.Int)];
        }

        if (attrs.TryGetValue("value_ints", out var iss))
        {
            return [TensorValue.Create(DataType.Int64, [iss.Ints.Length], iss.Ints.ToArray())];
        }

        if (attrs.TryGetValue("value_string", out var s))
        {
            return [TensorValue.Scalar(DataType.String, s.String ?? string.Empty)];
        }

        if (attrs.TryGetValue("value_strings", out var ss))
        {
            return [TensorValue.Create(DataType.String, [ss.Strings.Length], ss.Strings.ToArray())];
        }

        throw new OpException("Constant has none of value, value_float(s), value_int(s), value_string(s)");
    }

    [OnnxOp("Shape")]
    public static TensorValue[] Shape(OpContext ctx)
    {
        var x = ctx.Input(0);
        int rank = x.Rank;
        int start = (int)ctx.Int("start", 0);
        int end = (int)ctx.Int("end", rank);
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        long[] dims = x.Shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => (long)d).ToArray();
        return [TensorValue.Create(DataType.Int64, [dims.Length], dims)];
    }
}
