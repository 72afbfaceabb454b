namespace SiliconSim.Numerics.Kernels.Logic;

/// <summary>
/// Comparisons, boolean logic and Where with numpy broadcasting, as ONNX Runtime's CPU provider computes them
/// (providers/cpu/math/element_wise_ops.cc, tensor/where_op.cc): an IEEE comparison of the stored values (NaN compares
/// false, −0 equals +0), float16/bfloat16/float8 compared by their exact fp32 value, integers by value (uint64 unsigned).
/// </summary>
public static class LogicKernels
{
    /// <summary>a op b → bool with broadcasting; both operands must share the element type.</summary>
    /// <exception cref="ArgumentException">the types differ or the shapes do not broadcast.</exception>
    public static TensorValue Compare(CompareOp op, TensorValue a, TensorValue b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Type != b.Type)
        {
            throw new ArgumentException($"{op} needs equal element types, got {DataTypeInfo.Name(a.Type)} and {DataTypeInfo.Name(b.Type)}");
        }

        int[] aShape = [.. a.Shape], bShape = [.. b.Shape];
        int[] shape;
        bool[] y;
        switch (a.Type)
        {
            case DataType.Double:
                y = BroadcastIndex.Zip(a.Items<double>(), aShape, b.Items<double>(), bShape, out shape, Comparer<double>(op));
                break;
            case DataType.UInt64:
                y = BroadcastIndex.Zip(a.Items<ulong>(), aShape, b.Items<ulong>(), bShape, out shape, Comparer<ulong>(op));
                break;
            case DataType.Int64:
                y = BroadcastIndex.Zip(a.Items<long>(), aShape, b.Items<long>(), bShape, out shape, Comparer<long>(op));
                break;
            case DataType.UInt32:
                y = BroadcastIndex.Zip(a.Items<uint>(), aShape, b.Items<uint>(), bShape, out shape, Comparer<uint>(op));
                break;
            case DataType.Bool:
                y = BroadcastIndex.Zip(ToInts(a.Items<bool>()), aShape, ToInts(b.Items<bool>()), bShape, out shape, Comparer<int>(op));
                break;
            case DataType.String:
                if (op != CompareOp.Equal)
                {
                    throw new ArgumentException($"{op} does not support string");
                }

                y = BroadcastIndex.Zip(a.Items<string>(), aShape, b.Items<string>(), bShape, out shape, static (p, q) => string.Equals(p, q, StringComparison.Ordinal));
                break;
            case DataType.Float8E8M0:
                throw new ArgumentException($"{op} does not support float8e8m0");
            default:
                if (DataTypeInfo.IsFloat(a.Type))
                {
                    y = BroadcastIndex.Zip(TensorConvert.ToSingles(a), aShape, TensorConvert.ToSingles(b), bShape, out shape, Comparer<float>(op));
                }
                else if (DataTypeInfo.IsInteger(a.Type))
                {
                    y = BroadcastIndex.Zip(TensorConvert.ToInt32s(a), aShape, TensorConvert.ToInt32s(b), bShape, out shape, Comparer<int>(op));
                }
                else
                {
                    throw new ArgumentException($"{op} does not support {DataTypeInfo.Name(a.Type)}");
                }

                break;
        }

        return TensorValue.Create(DataType.Bool, shape, y);
    }

    /// <summary>Logical negation of a bool tensor.</summary>
    public static TensorValue Not(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireBool(x, "Not");
        return TensorValue.Create(DataType.Bool, [.. x.Shape], Array.ConvertAll(x.Items<bool>(), v => !v));
    }

    /// <summary>And / Or / Xor of two bool tensors with broadcasting.</summary>
    public static TensorValue Boolean(BoolOp op, TensorValue a, TensorValue b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireBool(a, op.ToString());
        RequireBool(b, op.ToString());
        Func<bool, bool, bool> f = op switch
        {
            BoolOp.And => static (p, q) => p & q,
            BoolOp.Or => static (p, q) => p | q,
            _ => static (p, q) => p ^ q,
        };
        bool[] y = BroadcastIndex.Zip(a.Items<bool>(), [.. a.Shape], b.Items<bool>(), [.. b.Shape], out int[] shape, f);
        return TensorValue.Create(DataType.Bool, shape, y);
    }

    /// <summary>cond ? x : y with three-way broadcasting; x and y share any element type (their bits are copied).</summary>
    public static TensorValue Where(TensorValue condition, TensorValue x, TensorValue y)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        RequireBool(condition, "Where condition");
        if (x.Type != y.Type)
        {
            throw new ArgumentException($"Where needs X and Y of one element type, got {DataTypeInfo.Name(x.Type)} and {DataTypeInfo.Name(y.Type)}");
        }

        int[] cShape = [.. condition.Shape], xShape = [.. x.Shape], yShape = [.. y.Shape];
        int[] shape = BroadcastIndex.Shape(cShape, xShape, yShape);
        if (x.Type is DataType.Float or DataType.Double)
        {
            // ORT (tensor/where_op.cc) builds X_sel = cond ? X : 0 and Y_sel = cond ? 0 : Y, then merges them with
            // X_sel != 0 ? X_sel : Y_sel, or, when Y_sel is a scalar over the merge spans, Y_sel != 0 ? Y_sel : X_sel.
            // So a selected −0 from the operand tested first comes out +0; only signed zeros can tell.
            var merge = new OrtBinaryBroadcast(ShapeMath.Broadcast(cShape, xShape), ShapeMath.Broadcast(cShape, yShape));
            bool yFirst = merge.Input1Scalar && !merge.Input0Scalar;
            TensorValue xs = yFirst ? x : (x.Type == DataType.Float ? PlusZero<float>(x) : PlusZero<double>(x));
            TensorValue ys = !yFirst ? y : (y.Type == DataType.Float ? PlusZero<float>(y) : PlusZero<double>(y));
            return Where(condition, xs, ys, shape, cShape, xShape, yShape);
        }

        return Where(condition, x, y, shape, cShape, xShape, yShape);
    }

    private static TensorValue PlusZero<T>(TensorValue t)
        where T : System.Numerics.IFloatingPointIeee754<T> => TensorValue.Create(t.Type, [.. t.Shape], Array.ConvertAll(t.Items<T>(), v => v + T.Zero));

    private static TensorValue Where(TensorValue condition, TensorValue x, TensorValue y, int[] shape, int[] cShape, int[] xShape, int[] yShape)
    {
        return ElementGather.Select(
            condition.Items<bool>(), BroadcastIndex.Map(cShape, shape),
            x, BroadcastIndex.Map(xShape, shape),
            y, BroadcastIndex.Map(yShape, shape),
            shape);
    }

    private static void RequireBool(TensorValue t, string what)
    {
        if (t.Type != DataType.Bool)
        {
            throw new ArgumentException($"{what} needs bool, got {DataTypeInfo.Name(t.Type)}");
        }
    }

    private static int[] ToInts(bool[] v) => Array.ConvertAll(v, b => b ? 1 : 0);

    private static Func<T, T, bool> Comparer<T>(CompareOp op)
        where T : System.Numerics.IComparisonOperators<T, T, bool> => op switch
        {
            CompareOp.Less => static (p, q) => p < q,
            CompareOp.LessOrEqual => static (p, q) => p <= q,
            CompareOp.Greater => static (p, q) => p > q,
            CompareOp.GreaterOrEqual => static (p, q) => p >= q,
            _ => static (p, q) => p == q,
        };
}
