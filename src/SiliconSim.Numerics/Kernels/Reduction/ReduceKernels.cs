using System.Numerics;

namespace SiliconSim.Numerics.Kernels.Reduction;

/// <summary>
/// ONNX Reduce* and ArgMax/ArgMin in ONNX Runtime's CPU order (providers/cpu/reduction/reduction_ops.h and .cc).
/// Float sums follow <see cref="ReduceLayout.Path"/>: every axis reduced → one <see cref="EigenRedux"/> over the buffer;
/// KR → one Eigen redux per row (a row's packet alignment depends on its offset from the 64-byte-aligned buffer);
/// RK → row 0 copied, then rows added in order; KRK → a 1×R·R×N GEMM against ones: for fp32 MLAS's M = 1 kernel
/// (SgemmKernelM1Avx: the reduced rows taken in groups of four, ((b0 + b1) + b2) + b3, each group's sum added to the
/// running output, then a pair, then a single), for fp64 the DGEMM kernel (rows added in order from +0); RKR → +0 plus the Eigen redux of each contiguous inner block in order; the generic loop → a
/// left-to-right sum from +0 in row-major order of the reduced indices. Mean divides that sum by the count once, in the
/// element type. Prod, SumSquare, L1 and L2 use the Eigen redux only when every axis is reduced, else the generic loop.
/// Max/Min follow std::max/min (a NaN accumulator stays, a NaN operand is skipped) in the same Eigen/loop order. float16/bfloat16 accumulate in fp32 and round once.
/// Integer Sum, Mean, Prod, SumSquare, L1 and L2 accumulate in double (Kahan-compensated for int64/uint64 where ORT's
/// aggregator is, i.e. outside the RK/KRK/RKR paths and Mean's KR path), then saturate to the type's range and truncate
/// toward zero; Max/Min compare exactly.
/// </summary>
public static class ReduceKernels
{
    /// <summary>Reduces <paramref name="x"/> over <paramref name="axes"/> (null/empty: all axes, or none when
    /// <paramref name="noopWithEmptyAxes"/>).</summary>
    /// <param name="op">the reduction.</param>
    /// <param name="x">the input.</param>
    /// <param name="axes">the axes (negative allowed).</param>
    /// <param name="keepDims">keep reduced axes as 1.</param>
    /// <param name="noopWithEmptyAxes">empty axes reduce nothing instead of everything.</param>
    /// <param name="degreeOfParallelism">the intra-op thread count of the ORT session being reproduced; it picks between
    /// ORT's fast paths and its generic loop (see <see cref="ReduceLayout.Create(int[], IReadOnlyList{long}, bool, int)"/>), which round differently.</param>
    /// <exception cref="ArgumentException">a bad axis or an unsupported element type.</exception>
    public static TensorValue Reduce(ReduceOp op, TensorValue x, IReadOnlyList<long>? axes, bool keepDims, bool noopWithEmptyAxes = false, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool noop = (axes is null || axes.Count == 0) && noopWithEmptyAxes;
        if (noop && op is not (ReduceOp.SumSquare or ReduceOp.L1 or ReduceOp.L2))
        {
            return x;
        }

        // A no-op SumSquare/L1/L2 still applies its per-element transform (ORT's ReduceAggTraits pre/post ops).
        ReduceLayout layout = noop ? ReduceLayout.Identity([.. x.Shape]) : ReduceLayout.Create([.. x.Shape], axes, keepDims, degreeOfParallelism);
        int[] shape = layout.OutputShape;
        return x.Type switch
        {
            DataType.Float => TensorValue.Create(x.Type, shape, ReduceFloat(op, x.Items<float>(), layout)),
            DataType.Double => TensorValue.Create(x.Type, shape, ReduceFloat(op, x.Items<double>(), layout)),
            DataType.Float16 or DataType.BFloat16 => TensorConvert.FromSingles(x.Type, shape, ReduceFloat(op, TensorConvert.ToSingles(x), layout)),
            DataType.Int8 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<sbyte>(), layout)),
            DataType.UInt8 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<byte>(), layout)),
            DataType.Int16 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<short>(), layout)),
            DataType.UInt16 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<ushort>(), layout)),
            DataType.Int32 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<int>(), layout)),
            DataType.UInt32 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<uint>(), layout)),
            DataType.Int64 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<long>(), layout)),
            DataType.UInt64 => TensorValue.Create(x.Type, shape, ReduceInt(op, x.Items<ulong>(), layout)),
            // ReduceMax/ReduceMin-20 admit bool: any / all.
            DataType.Bool when op is ReduceOp.Max or ReduceOp.Min => TensorValue.Create(x.Type, shape,
                Array.ConvertAll(ReduceInt(op, Array.ConvertAll(x.Items<bool>(), v => v ? (byte)1 : (byte)0), layout), v => v != 0)),
            _ => throw new ArgumentException($"Reduce{op} does not support {DataTypeInfo.Name(x.Type)}"),
        };
    }

    /// <summary>
    /// The int64 index of the largest (<paramref name="max"/>) or smallest element along <paramref name="axis"/>: the
    /// first one, or the last with <paramref name="selectLastIndex"/>. Over a rank-1 input without select_last_index ORT
    /// calls Eigen's maxCoeff(&amp;index)/minCoeff, where the first NaN wins (measured on ORT 1.31); otherwise (its update
    /// loop) a NaN never replaces the running best.
    /// </summary>
    public static TensorValue ArgMinMax(bool max, TensorValue x, long axis, bool keepDims, bool selectLastIndex)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = ShapeMath.NormalizeAxis(axis, x.Rank);
        if (x.Rank > 0 && x.Shape[a] == 0)
        {
            throw new ArgumentException($"Arg{(max ? "Max" : "Min")} over an empty axis");
        }

        var layout = ReduceLayout.Create([.. x.Shape], x.Rank == 0 ? [] : [a], keepDims);
        long[] y = x.Type switch
        {
            DataType.Float => Arg(x.Items<float>(), layout, max, selectLastIndex),
            DataType.Double => Arg(x.Items<double>(), layout, max, selectLastIndex),
            DataType.Float16 or DataType.BFloat16 => Arg(TensorConvert.ToSingles(x), layout, max, selectLastIndex),
            DataType.Int8 => Arg(x.Items<sbyte>(), layout, max, selectLastIndex),
            DataType.UInt8 => Arg(x.Items<byte>(), layout, max, selectLastIndex),
            DataType.Int16 => Arg(x.Items<short>(), layout, max, selectLastIndex),
            DataType.UInt16 => Arg(x.Items<ushort>(), layout, max, selectLastIndex),
            DataType.Int32 => Arg(x.Items<int>(), layout, max, selectLastIndex),
            DataType.UInt32 => Arg(x.Items<uint>(), layout, max, selectLastIndex),
            DataType.Int64 => Arg(x.Items<long>(), layout, max, selectLastIndex),
            DataType.UInt64 => Arg(x.Items<ulong>(), layout, max, selectLastIndex),
            _ => throw new ArgumentException($"Arg{(max ? "Max" : "Min")} does not support {DataTypeInfo.Name(x.Type)}"),
        };
        return TensorValue.Create(DataType.Int64, layout.OutputShape, y);
    }

    private static long[] Arg<T>(T[] x, ReduceLayout layout, bool max, bool last)
        where T : IComparisonOperators<T, T, bool>
    {
        (int[] bases, int[] offsets) = layout.Walk();
        bool nanWins = layout.Path == ReducePath.All && !last;
        var y = new long[bases.Length];
        for (int i = 0; i < y.Length; i++)
        {
            T best = x[bases[i] + offsets[0]];
            long arg = 0;
            for (int k = 1; k < offsets.Length; k++)
            {
                T v = x[bases[i] + offsets[k]];
#pragma warning disable CS1718 // v != v is the generic NaN test
                bool better = max ? (last ? v >= best : v > best) : (last ? v <= best : v < best);
                better |= nanWins && v != v && best == best;
#pragma warning restore CS1718
                if (better)
                {
                    best = v;
                    arg = k;
                }
            }

            y[i] = arg;
        }

        return y;
    }

    private static T[] ReduceFloat<T>(ReduceOp op, T[] x, ReduceLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layout.ReducedCount;
        var y = new T[ShapeMath.ElementCount(layout.OutputShape)];
        if (y.Length == 0)
        {
            return y;
        }

        if (n == 0)
        {
            // A reduction over an empty set gives the operation's identity (ORT's fill_for_empty_set; Mean inherits
            // Sum's 0).
            Array.Fill(y, op switch
            {
                ReduceOp.Max => T.NegativeInfinity,
                ReduceOp.Min => T.PositiveInfinity,
                ReduceOp.Prod => T.One,
                _ => T.Zero,
            });
            return y;
        }

        switch (op)
        {
            case ReduceOp.Sum:
            case ReduceOp.Mean:
                Sum(x, layout, y);
                if (op == ReduceOp.Mean)
                {
                    T count = T.CreateChecked(n);
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] /= count;
                    }
                }

                return y;
            case ReduceOp.Max:
                return MaxMin(x, layout, y, static (acc, v) => acc < v ? v : acc);
            case ReduceOp.Min:
                return MaxMin(x, layout, y, static (acc, v) => acc > v ? v : acc);
            case ReduceOp.Prod:
                return layout.Path == ReducePath.All
                    ? [EigenRedux.Reduce<T>(x, 0, x.Length, static (p, q) => p * q)]
                    : Fold(x, layout, y, T.One, static (acc, v) => acc * v);
            case ReduceOp.SumSquare:
            case ReduceOp.L2:
                T[] r = layout.Path == ReducePath.All
                    ? [EigenRedux.Reduce<T>(Array.ConvertAll(x, v => v * v), 0, x.Length, static (p, q) => p + q)]
                    : Fold(x, layout, y, T.Zero, static (acc, v) => acc + (v * v));
                return op == ReduceOp.L2 ? Array.ConvertAll(r, T.Sqrt) : r;
            default:
                return layout.Path == ReducePath.All
                    ? [EigenRedux.Reduce<T>(Array.ConvertAll(x, T.Abs), 0, x.Length, static (p, q) => p + q)]
                    : Fold(x, layout, y, T.Zero, static (acc, v) => acc + T.Abs(v));
        }
    }

    private static void Sum<T>(T[] x, ReduceLayout layout, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Func<T, T, T> add = static (p, q) => p + q;
        int[] f = layout.FastShape;
        switch (layout.Path)
        {
            case ReducePath.All:
                y[0] = EigenRedux.Reduce<T>(x, 0, x.Length, add);
                break;
            case ReducePath.KR:
                for (int d = 0; d < f[0]; d++)
                {
                    y[d] = EigenRedux.Reduce<T>(x, d * f[1], f[1], add);
                }

                break;
            case ReducePath.KRK when typeof(T) == typeof(float):
                SumKrk(x, f, y);
                break;
            case ReducePath.RKR:
                for (int d = 0; d < f[1]; d++)
                {
                    T acc = T.Zero;
                    for (int i = 0; i < f[0]; i++)
                    {
                        acc += EigenRedux.Reduce<T>(x, (d * f[2]) + (i * f[1] * f[2]), f[2], add);
                    }

                    y[d] = acc;
                }

                break;
            case ReducePath.RK:
                Array.Copy(x, y, f[1]);
                for (int r = 1; r < f[0]; r++)
                {
                    for (int j = 0; j < f[1]; j++)
                    {
                        y[j] += x[(r * f[1]) + j];
                    }
                }

                break;
            default:
                Fold(x, layout, y, T.Zero, add);
                break;
        }
    }

    /// <summary>
    /// Max/Min with std::max/min's NaN rule (a NaN accumulator stays, a NaN operand is skipped), in ORT's order: Eigen
    /// redux over everything (All) or each row (KR), the Eigen redux of each inner block folded from the first element
    /// (RKR), else the update loop. The order shows only when NaNs are present.
    /// </summary>
    private static T[] MaxMin<T>(T[] x, ReduceLayout layout, T[] y, Func<T, T, T> op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] f = layout.FastShape;
        switch (layout.Path)
        {
            case ReducePath.All:
                y[0] = EigenRedux.Reduce<T>(x, 0, x.Length, op);
                return y;
            case ReducePath.KR:
                for (int d = 0; d < f[0]; d++)
                {
                    y[d] = EigenRedux.Reduce<T>(x, d * f[1], f[1], op);
                }

                return y;
            case ReducePath.RKR:
                for (int d = 0; d < f[1]; d++)
                {
                    T acc = x[d * f[2]];
                    for (int i = 0; i < f[0]; i++)
                    {
                        acc = op(acc, EigenRedux.Reduce<T>(x, (d * f[2]) + (i * f[1] * f[2]), f[2], op));
                    }

                    y[d] = acc;
                }

                return y;
            case ReducePath.KRK:
                MaxMinKrk(x, f, y, op);
                return y;
            default:
                return Fold(x, layout, y, null, op);
        }
    }

    /// <summary>
    /// Eigen's rowwise().maxCoeff() over each outer slice viewed as an N×R column-major matrix (PartialRedux.h): the
    /// output is assigned in packets where its address is packet-aligned, each lane folding the R columns as
    /// p = c0, then p = op(p, op(op(c[i], c[i+1]), op(c[i+2], c[i+3]))) while i &lt; (R − 1) &amp; ~3, then one at a
    /// time; the unaligned head and the tail are plain left-to-right folds.
    /// </summary>
    private static void MaxMinKrk<T>(T[] x, int[] f, T[] y, Func<T, T, T> op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = f[1], n = f[2];
        int lanes = EigenRedux.PacketBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int size4 = (rows - 1) & ~3;
        for (int o = 0; o < f[0]; o++)
        {
            int b = o * rows * n, outBase = o * n;
            int alignedStart = Math.Min((lanes - (outBase % lanes)) % lanes, n);
            int alignedEnd = alignedStart + ((n - alignedStart) / lanes * lanes);
            for (int j = 0; j < n; j++)
            {
                T acc = x[b + j];
                int r = 1;
                if (j >= alignedStart && j < alignedEnd)
                {
                    for (; r < size4; r += 4)
                    {
                        T c0 = x[b + (r * n) + j], c1 = x[b + ((r + 1) * n) + j], c2 = x[b + ((r + 2) * n) + j], c3 = x[b + ((r + 3) * n) + j];
                        acc = op(acc, op(op(c0, c1), op(c2, c3)));
                    }
                }

                for (; r < rows; r++)
                {
                    acc = op(acc, x[b + (r * n) + j]);
                }

                y[outBase + j] = acc;
            }
        }
    }

    /// <summary>
    /// MLAS SgemmKernelM1Avx with A = ones (multiplying by 1 is exact): for each output column, groups of four reduced
    /// rows summed left to right, each group added to the running column (first to +0), then a pair, then a single row.
    /// </summary>
    private static void SumKrk<T>(T[] x, int[] f, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = f[1], n = f[2];
        for (int o = 0; o < f[0]; o++)
        {
            int b = o * rows * n;
            for (int j = 0; j < n; j++)
            {
                T c = T.Zero;
                int k = 0;
                for (; k + 4 <= rows; k += 4)
                {
                    c = (((x[b + (k * n) + j] + x[b + ((k + 1) * n) + j]) + x[b + ((k + 2) * n) + j]) + x[b + ((k + 3) * n) + j]) + c;
                }

                if (rows - k >= 2)
                {
                    c = (x[b + (k * n) + j] + x[b + ((k + 1) * n) + j]) + c;
                    k += 2;
                }

                if (k < rows)
                {
                    c = x[b + (k * n) + j] + c;
                }

                y[(o * n) + j] = c;
            }
        }
    }

    /// <summary>y[i] = fold over the reduced elements in row-major order, from <paramref name="seed"/> or (null) the first.</summary>
    private static T[] Fold<T>(T[] x, ReduceLayout layout, T[] y, T? seed, Func<T, T, T> f)
        where T : struct
    {
        (int[] bases, int[] offsets) = layout.Walk();
        for (int i = 0; i < y.Length; i++)
        {
            int b = bases[i];
            T acc = seed ?? x[b + offsets[0]];
            for (int k = seed is null ? 1 : 0; k < offsets.Length; k++)
            {
                acc = f(acc, x[b + offsets[k]]);
            }

            y[i] = acc;
        }

        return y;
    }

    private static T[] ReduceInt<T>(ReduceOp op, T[] x, ReduceLayout layout)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int n = layout.ReducedCount;
        var y = new T[ShapeMath.ElementCount(layout.OutputShape)];
        if (y.Length == 0)
        {
            return y;
        }

        if (n == 0)
        {
            Array.Fill(y, op switch
            {
                ReduceOp.Max => T.MinValue,
                ReduceOp.Min => T.MaxValue,
                ReduceOp.Prod => T.One,
                _ => T.Zero,
            });
            return y;
        }

        if (op is ReduceOp.Max or ReduceOp.Min)
        {
            return op == ReduceOp.Max
                ? Fold(x, layout, y, null, static (acc, v) => v > acc ? v : acc)
                : Fold(x, layout, y, null, static (acc, v) => v < acc ? v : acc);
        }

        // ORT (reduction_ops.h) accumulates integers in double; int64/uint64 use Kahan summation except in the
        // RK/KRK/RKR fast paths and Mean's KR path, which add plainly.
        bool wide = typeof(T) == typeof(long) || typeof(T) == typeof(ulong);
        bool plainPath = layout.Path is ReducePath.RK or ReducePath.KRK or ReducePath.RKR
            || (op == ReduceOp.Mean && layout.Path == ReducePath.KR);
        bool kahan = wide && !plainPath;
        Func<T, double> term = op switch
        {
            ReduceOp.SumSquare or ReduceOp.L2 => static v => double.CreateTruncating(v) * double.CreateTruncating(v),
            ReduceOp.L1 => static v => Math.Abs(double.CreateTruncating(v)),
            _ => static v => double.CreateTruncating(v),
        };
        (int[] bases, int[] offsets) = layout.Walk();
        double max = double.CreateTruncating(T.MaxValue), min = double.CreateTruncating(T.MinValue);
        for (int i = 0; i < y.Length; i++)
        {
            double acc = op == ReduceOp.Prod ? 1.0 : 0.0, comp = 0.0;
            foreach (int k in offsets)
            {
                T v = x[bases[i] + k];
                if (op == ReduceOp.Prod)
                {
                    acc *= double.CreateTruncating(v);
                }
                else if (kahan)
                {
                    double t0 = term(v) - comp;
                    double t = acc + t0;
                    comp = (t - acc) - t0;
                    acc = t;
                }
                else
                {
                    acc += term(v);
                }
            }

            double r = op switch
            {
                ReduceOp.Mean => acc / n,
                ReduceOp.L2 => Math.Sqrt(acc),
                _ => acc,
            };

            // Saturate, then truncate toward zero (static_cast); SumSquare, L1 and L2 clamp only above.
            bool lowerClamp = op is ReduceOp.Sum or ReduceOp.Mean or ReduceOp.Prod;
            y[i] = r >= max ? T.MaxValue : (lowerClamp && r <= min) ? T.MinValue : T.CreateTruncating(r);
        }

        return y;
    }
}
