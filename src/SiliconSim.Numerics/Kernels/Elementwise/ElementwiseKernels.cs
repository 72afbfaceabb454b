using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Kernels.Elementwise;

/// <summary>
/// Element-wise ops on every numeric storage type, as ONNX Runtime's CPU kernels compute them
/// (providers/cpu/math/element_wise_ops.cc, activation/activations.h, math/clip.cc): one IEEE operation per element in
/// the element type (fp32 in fp32, float16 through fp32 and rounded once), integer arithmetic wrapping like C++/C#
/// unchecked arithmetic, integer division truncating toward zero.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>a op b with numpy broadcasting; both operands must have the same element type.</summary>
    /// <exception cref="ArgumentException">the types differ, the shapes do not broadcast or the type is unsupported.</exception>
    /// <exception cref="DivideByZeroException">an integer division by zero.</exception>
    public static TensorValue Binary(BinaryOp op, TensorValue a, TensorValue b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Type != b.Type)
        {
            throw new ArgumentException($"{op} needs equal element types, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        // Dispatch on the ONNX type, not the array: the CLR lets byte[] pass as sbyte[] (and uint[] as int[], ...).
        return a.Type switch
        {
            DataType.Float => Run<float>(op, a, b),
            DataType.Double => Run<double>(op, a, b),
            DataType.Float16 => RunHalf(op, a, b),
            DataType.Int8 => Run<sbyte>(op, a, b),
            DataType.UInt8 => Run<byte>(op, a, b),
            DataType.Int16 => Run<short>(op, a, b),
            DataType.UInt16 => Run<ushort>(op, a, b),
            DataType.Int32 => Run<int>(op, a, b),
            DataType.UInt32 => Run<uint>(op, a, b),
            DataType.Int64 => Run<long>(op, a, b),
            DataType.UInt64 => Run<ulong>(op, a, b),
            _ => throw new ArgumentException($"{op} does not support {DataTypeInfo.Name(a.Type)}"),
        };
    }

    /// <summary>max(x, 0) in Eigen's form (x &lt; 0 ? 0 : x), so −0 and NaN pass through.</summary>
    public static TensorValue Relu(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => TensorValue.Create(x.Type, [.. x.Shape], ReluFloat(x.Items<float>())),
            DataType.Double => TensorValue.Create(x.Type, [.. x.Shape], x.Items<double>().Select(v => v < 0d ? 0d : v).ToArray()),
            DataType.Float16 => TensorValue.Create(x.Type, [.. x.Shape], x.Items<Half>().Select(v => v < Half.Zero ? Half.Zero : v).ToArray()),
            DataType.Int8 => TensorValue.Create(x.Type, [.. x.Shape], x.Items<sbyte>().Select(v => v < 0 ? (sbyte)0 : v).ToArray()),
            DataType.Int16 => TensorValue.Create(x.Type, [.. x.Shape], x.Items<short>().Select(v => v < 0 ? (short)0 : v).ToArray()),
            DataType.Int32 => TensorValue.Create(x.Type, [.. x.Shape], x.Items<int>().Select(v => v < 0 ? 0 : v).ToArray()),
            DataType.Int64 => TensorValue.Create(x.Type, [.. x.Shape], x.Items<long>().Select(v => v < 0 ? 0L : v).ToArray()),
            _ => throw new ArgumentException($"Relu does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>x &lt; 0 ? +0 : x per element; the vector form selects on the same comparison (NaN and −0 compare false).</summary>
    private static float[] ReluFloat(ReadOnlySpan<float> x)
    {
        float[] y = GC.AllocateUninitializedArray<float>(x.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), Vector<float>.Zero, v).CopyTo(y.AsSpan(i));
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = x[i] < 0f ? 0f : x[i];
        }

        return y;
    }

    /// <summary>
    /// y = min(max(x, lo), hi) in Eigen's cwiseMax/cwiseMin form ((x &lt; lo) ? lo : x, then (hi &lt; y) ? hi : y), so
    /// lo &gt; hi yields hi everywhere. A null bound is the type's lowest/highest value.
    /// </summary>
    public static TensorValue Clip(TensorValue x, TensorValue? min, TensorValue? max)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Type switch
        {
            DataType.Float => ClipT(x, min, max, float.MinValue, float.MaxValue),
            DataType.Double => ClipT(x, min, max, double.MinValue, double.MaxValue),
            DataType.Float16 => ClipT(x, min, max, Half.MinValue, Half.MaxValue),
            DataType.Int8 => ClipT(x, min, max, sbyte.MinValue, sbyte.MaxValue),
            DataType.UInt8 => ClipT(x, min, max, byte.MinValue, byte.MaxValue),
            DataType.Int16 => ClipT(x, min, max, short.MinValue, short.MaxValue),
            DataType.UInt16 => ClipT(x, min, max, ushort.MinValue, ushort.MaxValue),
            DataType.Int32 => ClipT(x, min, max, int.MinValue, int.MaxValue),
            DataType.UInt32 => ClipT(x, min, max, uint.MinValue, uint.MaxValue),
            DataType.Int64 => ClipT(x, min, max, long.MinValue, long.MaxValue),
            DataType.UInt64 => ClipT(x, min, max, ulong.MinValue, ulong.MaxValue),
            _ => throw new ArgumentException($"Clip does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    private static TensorValue ClipT<T>(TensorValue x, TensorValue? min, TensorValue? max, T lowest, T highest)
        where T : IComparisonOperators<T, T, bool>
    {
        T lo = min is null ? lowest : Scalar<T>(min, "min");
        T hi = max is null ? highest : Scalar<T>(max, "max");
        T[] src = x.Items<T>();
        var y = new T[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            T v = src[i] < lo ? lo : src[i];
            y[i] = hi < v ? hi : v;
        }

        return TensorValue.Create(x.Type, [.. x.Shape], y);
    }

    private static T Scalar<T>(TensorValue t, string what)
    {
        if (t.Length != 1)
        {
            throw new ArgumentException($"Clip {what} must be a scalar, got {t.ShapeText}");
        }

        return t.Items<T>()[0];
    }

    private static TensorValue Run<T>(BinaryOp op, TensorValue a, TensorValue b)
        where T : INumberBase<T>
    {
        Func<T, T, T> f = op switch
        {
            BinaryOp.Add => static (p, q) => p + q,
            BinaryOp.Sub => static (p, q) => p - q,
            BinaryOp.Mul => static (p, q) => p * q,
            _ => static (p, q) => p / q,
        };
        int[] shape = ShapeMath.Broadcast(a.Shape.AsSpan(), b.Shape.AsSpan());
        if (typeof(T) == typeof(float) && FloatBinary.TryRun(op, a.Items<float>(), [.. a.Shape], b.Items<float>(), [.. b.Shape], shape) is { } fast)
        {
            return TensorValue.Create(a.Type, shape, fast);
        }

        T[] y = Apply(a.Items<T>(), [.. a.Shape], b.Items<T>(), [.. b.Shape], shape, f);
        return TensorValue.Create(a.Type, shape, y);
    }

    private static TensorValue RunHalf(BinaryOp op, TensorValue a, TensorValue b)
    {
        Func<Half, Half, Half> f = op switch
        {
            BinaryOp.Add => static (p, q) => (Half)((float)p + (float)q),
            BinaryOp.Sub => static (p, q) => (Half)((float)p - (float)q),
            BinaryOp.Mul => static (p, q) => (Half)((float)p * (float)q),
            _ => static (p, q) => (Half)((float)p / (float)q),
        };
        int[] shape = ShapeMath.Broadcast(a.Shape.AsSpan(), b.Shape.AsSpan());
        Half[] y = Apply(a.Items<Half>(), [.. a.Shape], b.Items<Half>(), [.. b.Shape], shape, f);
        return TensorValue.Create(a.Type, shape, y);
    }

    /// <summary>y[i] = f(a[bcast i], b[bcast i]) over the broadcast shape, row-major.</summary>
    public static T[] Apply<T>(T[] a, int[] aShape, T[] b, int[] bShape, int[] shape, Func<T, T, T> f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(f);
        var y = new T[ShapeMath.ElementCount(shape)];
        if (a.Length == y.Length && b.Length == y.Length)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = f(a[i], b[i]);
            }

            return y;
        }

        if (b.Length == 1 && a.Length == y.Length)
        {
            T s = b[0];
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = f(a[i], s);
            }

            return y;
        }

        int[] sa = Broadcast.BroadcastStrides(aShape, shape);
        int[] sb = Broadcast.BroadcastStrides(bShape, shape);
        int rank = shape.Length;
        var idx = new int[rank];
        int ia = 0, ib = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = f(a[ia], b[ib]);
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < shape[d])
                {
                    break;
                }

                ia -= sa[d] * idx[d];
                ib -= sb[d] * idx[d];
                idx[d] = 0;
            }
        }

        return y;
    }
}
