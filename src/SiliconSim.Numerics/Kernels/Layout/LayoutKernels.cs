namespace SiliconSim.Numerics.Kernels.Layout;

/// <summary>
/// The ONNX ops that only move elements (Transpose, Concat, Gather, Slice) and the shape-only ones (Reshape, Flatten,
/// Squeeze, Unsqueeze), on any element type. Values are never converted, so these are exact by construction.
/// </summary>
public static class LayoutKernels
{
    /// <summary>Y = transpose(X, perm); a null perm reverses the axes (ONNX default).</summary>
    public static TensorValue Transpose(TensorValue x, int[]? perm)
    {
        ArgumentNullException.ThrowIfNull(x);
        int rank = x.Rank;
        perm ??= Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw new ArgumentException($"perm [{string.Join(',', perm)}] is not a permutation of rank {rank}");
        }

        int[] outShape = perm.Select(p => x.Shape[p]).ToArray();
        return StridedTranspose.TryRun(x.Data, [.. x.Shape], perm, outShape) is { } fast
            ? TensorValue.Create(x.Type, outShape, fast)
            : TransposeReference(x, perm);
    }

    /// <summary>
    /// The reference of <see cref="Transpose"/>: an index map from each output element to its input element, then one
    /// gather. <paramref name="perm"/> must be a valid permutation.
    /// </summary>
    public static TensorValue TransposeReference(TensorValue x, int[] perm)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(perm);
        int rank = x.Rank;
        int[] inStrides = ShapeMath.Strides(x.Shape.AsSpan());
        int[] outShape = perm.Select(p => x.Shape[p]).ToArray();
        var map = new int[x.Length];
        var idx = new int[rank];
        int src = 0;
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = src;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                src += inStrides[perm[d]];
                if (idx[d] < outShape[d])
                {
                    break;
                }

                src -= inStrides[perm[d]] * idx[d];
                idx[d] = 0;
            }
        }

        return TensorValue.Create(x.Type, outShape, ElementMover.Take(x.Data, map));
    }

    /// <summary>Concatenation along <paramref name="axis"/> (negative counts from the end).</summary>
    public static TensorValue Concat(IReadOnlyList<TensorValue> inputs, long axis)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one input");
        }

        TensorValue first = inputs[0];
        int rank = first.Rank;
        int ax = ShapeMath.NormalizeAxis(axis, rank);
        int[] outShape = [.. first.Shape];
        outShape[ax] = 0;
        foreach (TensorValue t in inputs)
        {
            if (t.Type != first.Type || t.Rank != rank)
            {
                throw new ArgumentException($"Concat inputs differ in type or rank: {first} vs {t}");
            }

            for (int d = 0; d < rank; d++)
            {
                if (d != ax && t.Shape[d] != first.Shape[d])
                {
                    throw new ArgumentException($"Concat inputs differ outside axis {ax}: {first.ShapeText} vs {t.ShapeText}");
                }
            }

            outShape[ax] += t.Shape[ax];
        }

        int outer = 1;
        for (int d = 0; d < ax; d++)
        {
            outer *= outShape[d];
        }

        int inner = 1;
        for (int d = ax + 1; d < rank; d++)
        {
            inner *= outShape[d];
        }

        var y = Array.CreateInstance(first.Data.GetType().GetElementType()!, (int)ShapeMath.ElementCount(outShape));
        int rowOut = outShape[ax] * inner;
        int offset = 0;
        foreach (TensorValue t in inputs)
        {
            int block = t.Shape[ax] * inner;
            for (int o = 0; o < outer; o++)
            {
                Array.Copy(t.Data, o * block, y, (o * rowOut) + offset, block);
            }

            offset += block;
        }

        return TensorValue.Create(first.Type, outShape, y);
    }

    /// <summary>
    /// Gather along <paramref name="axis"/>: Y = data[..., indices, ...] with negative indices counted from the end.
    /// Y's shape is data[:axis] + indices + data[axis+1:].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">an index is outside [−n, n).</exception>
    public static TensorValue Gather(TensorValue data, TensorValue indices, long axis)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        int ax = ShapeMath.NormalizeAxis(axis, data.Rank);
        long[] idx = ToLongs(indices);
        int n = data.Shape[ax];
        int outer = 1;
        for (int d = 0; d < ax; d++)
        {
            outer *= data.Shape[d];
        }

        int inner = 1;
        for (int d = ax + 1; d < data.Rank; d++)
        {
            inner *= data.Shape[d];
        }

        int[] outShape = [.. data.Shape.Take(ax), .. indices.Shape, .. data.Shape.Skip(ax + 1)];
        var y = Array.CreateInstance(data.Data.GetType().GetElementType()!, (int)ShapeMath.ElementCount(outShape));
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < idx.Length; j++)
            {
                long i = idx[j] < 0 ? idx[j] + n : idx[j];
                if (i < 0 || i >= n)
                {
                    throw new ArgumentOutOfRangeException(nameof(indices), $"index {idx[j]} is outside [-{n}, {n})");
                }

                Array.Copy(data.Data, ((o * n) + (int)i) * inner, y, ((o * idx.Length) + j) * inner, inner);
            }
        }

        return TensorValue.Create(data.Type, outShape, y);
    }

    /// <summary>
    /// ONNX Slice (opset 10+ semantics): per listed axis, negative starts/ends count from the end, then starts clamp to
    /// [0, n] (step &gt; 0) or [0, n − 1] (step &lt; 0) and ends to [0, n] or [−1, n − 1]; the count is
    /// max(0, ceil((end − start) / step)). Unlisted axes are taken whole. As in ONNX Runtime, an end of INT64_MAX with
    /// a negative step runs through index 0.
    /// </summary>
    public static TensorValue Slice(TensorValue x, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(ends);
        int rank = x.Rank;
        if (starts.Length != ends.Length || (axes is not null && axes.Length != starts.Length) || (steps is not null && steps.Length != starts.Length))
        {
            throw new ArgumentException("starts, ends, axes and steps must have the same length");
        }

        var start = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        long[] count = x.Shape.Select(d => (long)d).ToArray();
        var seen = new bool[rank];
        for (int i = 0; i < starts.Length; i++)
        {
            int ax = ShapeMath.NormalizeAxis(axes is null ? i : axes[i], rank);
            if (seen[ax])
            {
                throw new ArgumentException($"axis {ax} is sliced twice");
            }

            seen[ax] = true;
            long s = steps is null ? 1 : steps[i];
            if (s == 0)
            {
                throw new ArgumentException("slice step cannot be 0");
            }

            long n = x.Shape[ax];
            long b = starts[i] < 0 ? starts[i] + n : starts[i];
            // ORT (providers/cpu/tensor/slice_helper.h) reads an end of INT64_MAX with a negative step as "through
            // index 0", where the ONNX clamp would give an empty slice; ORT is the oracle here.
            long e = s < 0 && ends[i] == long.MaxValue ? -1 : ends[i] < 0 ? ends[i] + n : ends[i];
            if (s > 0)
            {
                b = Math.Clamp(b, 0, n);
                e = Math.Clamp(e, 0, n);
                count[ax] = Math.Max(0, (e - b + s - 1) / s);
            }
            else
            {
                b = Math.Clamp(b, 0, n - 1);
                e = Math.Clamp(e, -1, n - 1);
                count[ax] = Math.Max(0, (b - e + (-s) - 1) / (-s));
            }

            start[ax] = b;
            step[ax] = s;
        }

        int[] outShape = count.Select(c => (int)c).ToArray();
        int[] strides = ShapeMath.Strides(x.Shape.AsSpan());
        var map = new int[ShapeMath.ElementCount(outShape)];
        var idx = new int[rank];
        for (int i = 0; i < map.Length; i++)
        {
            long src = 0;
            for (int d = 0; d < rank; d++)
            {
                src += (start[d] + (idx[d] * step[d])) * strides[d];
            }

            map[i] = (int)src;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < outShape[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return TensorValue.Create(x.Type, outShape, ElementMover.Take(x.Data, map));
    }

    /// <summary>
    /// The output shape of ONNX Reshape: 0 copies the input dim (unless <paramref name="allowZero"/>, when it means a
    /// zero-sized dim), one −1 is inferred.
    /// </summary>
    public static int[] ReshapeShape(ReadOnlySpan<int> input, ReadOnlySpan<long> requested, bool allowZero)
    {
        var shape = new int[requested.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            long r = requested[i];
            if (r == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException("Reshape shape has more than one -1");
                }

                inferred = i;
                continue;
            }

            if (r == 0 && !allowZero)
            {
                if (i >= input.Length)
                {
                    throw new ArgumentException($"Reshape shape copies dim {i} but the input has rank {input.Length}");
                }

                r = input[i];
            }
            else if (r < 0)
            {
                throw new ArgumentException($"Reshape shape has invalid dim {r}");
            }

            shape[i] = checked((int)r);
            known *= r;
        }

        long total = ShapeMath.ElementCount(input);
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                throw new ArgumentException($"cannot infer the -1 dim: {total} elements into {known}");
            }

            shape[inferred] = (int)(total / known);
        }
        else if (known != total)
        {
            throw new ArgumentException($"Reshape from {ShapeMath.Format(input)} ({total} elements) to {ShapeMath.Format(shape)} ({known})");
        }

        return shape;
    }

    /// <summary>ONNX Flatten: [prod(shape[:axis]), prod(shape[axis:])], axis in [−r, r].</summary>
    public static int[] FlattenShape(ReadOnlySpan<int> shape, long axis)
    {
        int rank = shape.Length;
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank)
        {
            throw new ArgumentException($"Flatten axis {axis} is out of range for rank {rank}");
        }

        int outer = 1;
        for (int d = 0; d < a; d++)
        {
            outer *= shape[d];
        }

        int inner = 1;
        for (int d = (int)a; d < rank; d++)
        {
            inner *= shape[d];
        }

        return [outer, inner];
    }

    /// <summary>ONNX Squeeze: drops the listed axes (each must be 1), or every 1-dim when <paramref name="axes"/> is null.</summary>
    public static int[] SqueezeShape(ReadOnlySpan<int> shape, long[]? axes)
    {
        int rank = shape.Length;
        var drop = new bool[rank];
        if (axes is null)
        {
            for (int d = 0; d < rank; d++)
            {
                drop[d] = shape[d] == 1;
            }
        }
        else
        {
            foreach (long a in axes)
            {
                int d = ShapeMath.NormalizeAxis(a, rank);
                if (shape[d] != 1)
                {
                    throw new ArgumentException($"cannot squeeze axis {a} of size {shape[d]}");
                }

                drop[d] = true;
            }
        }

        var result = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            if (!drop[d])
            {
                result.Add(shape[d]);
            }
        }

        return [.. result];
    }

    /// <summary>ONNX Unsqueeze: inserts 1-dims at the listed axes of the output (negative counts from the output's end).</summary>
    public static int[] UnsqueezeShape(ReadOnlySpan<int> shape, long[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        int outRank = shape.Length + axes.Length;
        var ones = new bool[outRank];
        foreach (long a in axes)
        {
            int d = ShapeMath.NormalizeAxis(a, outRank);
            if (ones[d])
            {
                throw new ArgumentException($"Unsqueeze axis {a} is repeated");
            }

            ones[d] = true;
        }

        var result = new int[outRank];
        int src = 0;
        for (int d = 0; d < outRank; d++)
        {
            result[d] = ones[d] ? 1 : shape[src++];
        }

        return result;
    }

    /// <summary>The values of an int32/int64 tensor as longs.</summary>
    public static long[] ToLongs(TensorValue t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.Data switch
        {
            long[] l when t.Type == DataType.Int64 => l,
            int[] i when t.Type == DataType.Int32 => i.Select(v => (long)v).ToArray(),
            _ => throw new ArgumentException($"expected an int32 or int64 tensor, got {DataTypeInfo.Name(t.Type)}"),
        };
    }
}
