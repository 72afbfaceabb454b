using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests;

/// <summary>A generated QuantizeLinear/DequantizeLinear problem: x, its layout and parameters.</summary>
public sealed record QuantCase(DataType Type, int[] Shape, int Axis, int BlockSize, float[] X, float[] Scale, int[] ScaleShape, int[]? ZeroPoint)
{
    public override string ToString() =>
        $"{DataTypeInfo.Name(Type)} x{ShapeMath.Format(Shape)} axis {Axis} block {BlockSize} scale{ShapeMath.Format(ScaleShape)} zp {(ZeroPoint is null ? "none" : "yes")}";

    public TensorValue XTensor => TensorValue.FromFloats(Shape, X);

    public TensorValue ScaleTensor => TensorValue.FromFloats(ScaleShape, Scale);

    public TensorValue? ZeroPointTensor => ZeroPoint is null ? null : IntTensor(Type, ScaleShape, ZeroPoint);

    public static TensorValue IntTensor(DataType type, int[] shape, int[] values) => type switch
    {
        DataType.Int8 or DataType.Int4 or DataType.Int2 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (sbyte)v)),
        DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (byte)v)),
        DataType.Int16 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (short)v)),
        DataType.UInt16 => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (ushort)v)),
        DataType.Int32 => TensorValue.Create(type, shape, values),
        _ => TensorValue.Create(type, shape, Array.ConvertAll(values, v => (byte)v)),
    };
}

/// <summary>Seeded generators of small quantization problems (STYLE D5: one Generators class, small sizes).</summary>
public static class Generators
{
    public static readonly DataType[] IntegerTargets =
        [DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.Int4, DataType.UInt4, DataType.Int2, DataType.UInt2];

    public static readonly DataType[] FloatTargets =
        [DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ, DataType.Float4E2M1];

    /// <summary>
    /// A case of <paramref name="type"/> with rank 1-3, dims 1-5, per-tensor/per-axis/blocked chosen by the seed, and x
    /// drawn mostly at rounding ties (k + 0.5)·s and their float neighbours, plus random and out-of-range values.
    /// mode: -1 random, 0 per-tensor, 1 per-axis, 2 blocked.
    /// </summary>
    public static QuantCase Case(int seed, DataType type, int mode = -1, bool? withZeroPoint = null)
    {
        var r = new Random(seed);
        int rank = r.Next(1, 4);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = r.Next(1, 6);
        }

        int axis = r.Next(rank);
        int m = mode >= 0 ? mode : r.Next(3);
        int block = m == 2 ? r.Next(1, 4) : 0;
        int[] scaleShape = m switch
        {
            0 => r.Next(2) == 0 ? [] : [1],
            1 => [shape[axis]],
            _ => shape.Select((d, i) => i == axis ? (d + block - 1) / block : d).ToArray(),
        };
        if (m == 1 && shape[axis] == 1)
        {
            scaleShape = [1];
        }

        int paramCount = (int)ShapeMath.ElementCount(scaleShape);
        float[] scale = new float[paramCount];
        for (int i = 0; i < paramCount; i++)
        {
            scale[i] = r.Next(4) switch
            {
                0 => r.Next(1, 512) / 256f,
                1 => (float)Math.Pow(10, (r.NextDouble() * 4) - 3),
                2 => BitConverter.UInt32BitsToSingle((uint)(0x3C000000 + r.Next(0x03000000))),
                _ => 1f / r.Next(1, 300),
            };
        }

        bool integer = DataTypeInfo.IsInteger(type);
        (long qmin, long qmax) = integer ? DataTypeInfo.IntegerRange(type) : (-8, 8);
        int[]? zp = null;
        if (integer && (withZeroPoint ?? r.Next(3) != 0))
        {
            zp = new int[paramCount];
            for (int i = 0; i < paramCount; i++)
            {
                zp[i] = (int)(qmin + (long)(r.NextDouble() * (qmax - qmin + 1)));
            }
        }

        int count = (int)ShapeMath.ElementCount(shape);
        float[] x = new float[count];
        float top = integer ? qmax - qmin : MiniFloats.Decode(type, type == DataType.Float4E2M1 ? (byte)7 : (byte)0x7B);
        for (int i = 0; i < count; i++)
        {
            int p = QuantizationReference.ParamIndex(shape, scaleShape, axis, block, i);
            float s = scale[p];
            double k = integer ? r.Next((int)Math.Max(-top - 4, -40000), (int)Math.Min(top + 4, 40000)) : (r.NextDouble() * 2 - 1) * top;
            float tie = (float)((Math.Floor(k) + 0.5) * s);
            x[i] = r.Next(6) switch
            {
                0 => tie,
                1 => MathF.BitIncrement(tie),
                2 => MathF.BitDecrement(tie),
                3 => (float)(k * s),
                4 => (float)((r.NextDouble() * 2 - 1) * top * s * 1.5),
                _ => r.Next(10) switch
                {
                    0 => r.Next(2) == 0 ? 1e30f : -1e30f,
                    1 => float.NaN,
                    _ => (float)(Math.Floor(k) * s),
                },
            };
        }

        return new QuantCase(type, shape, axis, block, x, scale, scaleShape, zp);
    }
}
