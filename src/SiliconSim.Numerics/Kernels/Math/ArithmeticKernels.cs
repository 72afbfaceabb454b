using System.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Kernels.Logic;

namespace SiliconSim.Numerics.Kernels.Arithmetic;

/// <summary>
/// Neg, Abs, Mod and variadic Min/Max as ONNX Runtime's CPU provider computes them (providers/cpu/math/element_wise_ops.cc,
/// mod.cc): integers wrap like C++ two's-complement arithmetic (−int.MinValue is int.MinValue); Neg and Abs of floats
/// flip/clear the sign bit only (NaN payloads kept); float16 and bfloat16 go through fp32 and round once.
/// </summary>
/// <remarks>The namespace is not "...Kernels.Math" so that sibling namespaces keep resolving <c>Math</c> to System.Math.</remarks>
public static class ArithmeticKernels
{
    /// <summary>−x.</summary>
    public static TensorValue Neg(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => Map(x, static (float v) => -v),
            DataType.Double => Map(x, static (double v) => -v),
            DataType.Float16 => Map(x, static (Half v) => -v),
            DataType.BFloat16 => Map(x, static (BFloat16 v) => new BFloat16((ushort)(v.Bits ^ 0x8000))),
            DataType.Int8 => Map(x, static (sbyte v) => unchecked((sbyte)-v)),
            DataType.Int16 => Map(x, static (short v) => unchecked((short)-v)),
            DataType.Int32 => Map(x, static (int v) => unchecked(-v)),
            DataType.Int64 => Map(x, static (long v) => unchecked(-v)),
            _ => throw new ArgumentException($"Neg does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>Round half to even (ONNX Round, ORT's std::nearbyint under the default rounding mode).</summary>
    public static TensorValue Round(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => Map(x, static (float v) => MathF.Round(v, MidpointRounding.ToEven)),
            DataType.Double => Map(x, static (double v) => System.Math.Round(v, MidpointRounding.ToEven)),
            DataType.Float16 => Map(x, static (Half v) => Half.Round(v, MidpointRounding.ToEven)),
            _ => throw new ArgumentException($"Round does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>1/x as one IEEE division (no reciprocal estimate).</summary>
    public static TensorValue Reciprocal(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => Map(x, static (float v) => 1f / v),
            DataType.Double => Map(x, static (double v) => 1d / v),
            DataType.Float16 => Map(x, static (Half v) => (Half)(1f / (float)v)),
            _ => throw new ArgumentException($"Reciprocal does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>|x|; unsigned types are unchanged.</summary>
    public static TensorValue Abs(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => Map(x, static (float v) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(v) & int.MaxValue)),
            DataType.Double => Map(x, static (double v) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(v) & long.MaxValue)),
            DataType.Float16 => Map(x, static (Half v) => BitConverter.UInt16BitsToHalf((ushort)(BitConverter.HalfToUInt16Bits(v) & 0x7FFF))),
            DataType.BFloat16 => Map(x, static (BFloat16 v) => new BFloat16((ushort)(v.Bits & 0x7FFF))),
            DataType.Int8 => Map(x, static (sbyte v) => unchecked((sbyte)(v < 0 ? -v : v))),
            DataType.Int16 => Map(x, static (short v) => unchecked((short)(v < 0 ? -v : v))),
            DataType.Int32 => Map(x, static (int v) => unchecked(v < 0 ? -v : v)),
            DataType.Int64 => Map(x, static (long v) => unchecked(v < 0 ? -v : v)),
            DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64 => x,
            _ => throw new ArgumentException($"Abs does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>
    /// Mod with broadcasting. fmod = 0 (integers only): the remainder takes the divisor's sign (Python's %); fmod = 1: C's
    /// fmod/% (the dividend's sign). An integer divisor of 0 is an error.
    /// </summary>
    /// <exception cref="ArgumentException">fmod = 0 on a float type, mismatched types or an unsupported type.</exception>
    /// <exception cref="DivideByZeroException">an integer divisor is 0.</exception>
    public static TensorValue Mod(TensorValue a, TensorValue b, bool fmod)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Type != b.Type)
        {
            throw new ArgumentException($"Mod needs equal element types, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        if (DataTypeInfo.IsFloat(a.Type) && !fmod)
        {
            throw new ArgumentException("Mod of floating-point tensors requires fmod=1");
        }

        return a.Type switch
        {
            DataType.Float => Zip(a, b, static (float p, float q) => p % q),
            DataType.Double => Zip(a, b, static (double p, double q) => p % q),
            DataType.Float16 => Zip(a, b, static (Half p, Half q) => (Half)((float)p % (float)q)),
            DataType.BFloat16 => Zip(a, b, static (BFloat16 p, BFloat16 q) => BFloat16.FromSingle(p.ToSingle() % q.ToSingle())),
            DataType.Int8 => IntMod<sbyte>(a, b, fmod),
            DataType.UInt8 => IntMod<byte>(a, b, fmod),
            DataType.Int16 => IntMod<short>(a, b, fmod),
            DataType.UInt16 => IntMod<ushort>(a, b, fmod),
            DataType.Int32 => IntMod<int>(a, b, fmod),
            DataType.UInt32 => IntMod<uint>(a, b, fmod),
            DataType.Int64 => IntMod<long>(a, b, fmod),
            DataType.UInt64 => IntMod<ulong>(a, b, fmod),
            _ => throw new ArgumentException($"Mod does not support {DataTypeInfo.Name(a.Type)}"),
        };
    }

    /// <summary>Element-wise minimum (<paramref name="max"/> false) or maximum of one or more tensors with broadcasting, folded
    /// left to right; a NaN operand gives NaN; between equal floats (+0 and −0) the second operand is returned, except
    /// that ORT swaps the operands when the first input is a scalar over its broadcast spans.</summary>
    public static TensorValue MinMax(bool max, IReadOnlyList<TensorValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException($"{(max ? "Max" : "Min")} needs at least one input");
        }

        TensorValue acc = inputs[0];
        if (inputs.Count == 1)
        {
            // A single input still runs through the type check.
            return Fold(max, acc, acc);
        }

        for (int i = 1; i < inputs.Count; i++)
        {
            acc = Fold(max, acc, inputs[i]);
        }

        return acc;
    }

    private static TensorValue Fold(bool max, TensorValue a, TensorValue b)
    {
        if (a.Type != b.Type)
        {
            throw new ArgumentException($"Min/Max needs equal element types, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        // ORT evaluates Eigen's x.min<PropagateNaN>(y) with x the streamed operand: input 1 when input 0 is a scalar
        // over each span, else input 0 (element_wise_ops.cc). Ties (±0) go to y, so the order shows in the sign of zero.
        bool swap = DataTypeInfo.IsFloat(a.Type) && new OrtBinaryBroadcast(a.Shape.AsSpan(), b.Shape.AsSpan()).Input0Scalar;
        return a.Type switch
        {
            DataType.Float => Zip<float>(a, b, Ordered<float>(max, swap)),
            DataType.Double => Zip<double>(a, b, Ordered<double>(max, swap)),
            DataType.Float16 => Zip<Half>(a, b, Ordered<Half>(max, swap)),
            DataType.BFloat16 => Zip<BFloat16>(a, b, (p, q) => BFloat16.FromSingle(Ordered<float>(max, swap)(p.ToSingle(), q.ToSingle()))),
            DataType.Int8 => IntMinMax<sbyte>(a, b, max),
            DataType.UInt8 => IntMinMax<byte>(a, b, max),
            DataType.Int16 => IntMinMax<short>(a, b, max),
            DataType.UInt16 => IntMinMax<ushort>(a, b, max),
            DataType.Int32 => IntMinMax<int>(a, b, max),
            DataType.UInt32 => IntMinMax<uint>(a, b, max),
            DataType.Int64 => IntMinMax<long>(a, b, max),
            DataType.UInt64 => IntMinMax<ulong>(a, b, max),
            _ => throw new ArgumentException($"{(max ? "Max" : "Min")} does not support {DataTypeInfo.Name(a.Type)}"),
        };
    }

    // Eigen's PropagateNaN min/max on SSE: a NaN x wins, else minps(x, y) = x < y ? x : y (y on ties and on a NaN y).
    private static Func<T, T, T> Ordered<T>(bool max, bool swap)
        where T : IFloatingPointIeee754<T>
    {
        Func<T, T, T> g = max
            ? static (x, y) => T.IsNaN(x) ? x : (x > y ? x : y)
            : static (x, y) => T.IsNaN(x) ? x : (x < y ? x : y);
        return swap ? (p, q) => g(q, p) : g;
    }

    private static TensorValue IntMinMax<T>(TensorValue a, TensorValue b, bool max)
        where T : IBinaryInteger<T> => Zip<T>(a, b, max ? static (T p, T q) => p < q ? q : p : static (T p, T q) => q < p ? q : p);

    private static TensorValue IntMod<T>(TensorValue a, TensorValue b, bool fmod)
        where T : IBinaryInteger<T>, IMinMaxValue<T> => Zip(a, b, (T p, T q) =>
        {
            if (T.IsZero(q))
            {
                throw new DivideByZeroException();
            }

            // MinValue % −1 traps in .NET; its remainder is 0.
            if (T.IsNegative(q) && q == -T.One)
            {
                return T.Zero;
            }

            T r = p % q;
            if (!fmod && !T.IsZero(r) && (T.IsNegative(r) != T.IsNegative(q)))
            {
                r += q;
            }

            return r;
        });

    private static TensorValue Map<T>(TensorValue x, Func<T, T> f) => TensorValue.Create(x.Type, [.. x.Shape], Array.ConvertAll(x.Items<T>(), v => f(v)));

    private static TensorValue Zip<T>(TensorValue a, TensorValue b, Func<T, T, T> f)
    {
        T[] y = BroadcastIndex.Zip(a.Items<T>(), [.. a.Shape], b.Items<T>(), [.. b.Shape], out int[] shape, f);
        return TensorValue.Create(a.Type, shape, y);
    }
}
