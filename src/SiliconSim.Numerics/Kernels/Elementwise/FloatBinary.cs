using System.Numerics.Tensors;

namespace SiliconSim.Numerics.Kernels.Elementwise;

/// <summary>
/// The fp32 Add, Sub, Mul and Div of <see cref="ElementwiseKernels.Binary"/> for the broadcasts a transformer makes
/// (equal shapes, a scalar right operand, one operand a trailing row such as a bias), vectorised with
/// <see cref="TensorPrimitives"/>. Each is one correctly rounded IEEE operation per element with the operands in the
/// same order (a op b), so the bits are those of the element loop of <see cref="ElementwiseKernels.Apply{T}"/>, its
/// scalar reference; other shapes return null and take that loop.
/// </summary>
internal static class FloatBinary
{
    /// <summary>y = a op b over <paramref name="shape"/> (the broadcast of the two shapes), or null for a broadcast this does not cover.</summary>
    public static float[]? TryRun(BinaryOp op, float[] a, int[] aShape, float[] b, int[] bShape, int[] shape)
    {
        long count = ShapeMath.ElementCount(shape);
        if (count == 0 || count > int.MaxValue)
        {
            return null;
        }

        int n = (int)count;
        if (a.Length == n && b.Length == n)
        {
            float[] y = TensorArena.Allocate<float>(n);
            Rows(op, a, b, y);
            return y;
        }

        if (a.Length == n && b.Length == 1)
        {
            float[] y = TensorArena.Allocate<float>(n);
            Scalar(op, a, b[0], y);
            return y;
        }

        bool aRow = a.Length != n && IsTrailingRow(aShape, shape), bRow = b.Length != n && IsTrailingRow(bShape, shape);
        if ((aRow && b.Length == n) || (bRow && a.Length == n))
        {
            int row = aRow ? a.Length : b.Length;
            float[] y = TensorArena.Allocate<float>(n);
            for (int start = 0; start < n; start += row)
            {
                ReadOnlySpan<float> x0 = aRow ? a : a.AsSpan(start, row);
                ReadOnlySpan<float> x1 = bRow ? b : b.AsSpan(start, row);
                Rows(op, x0, x1, y.AsSpan(start, row));
            }

            return y;
        }

        return null;
    }

    // An operand whose shape, leading 1s dropped, is the output's trailing dims: it repeats whole every row.
    private static bool IsTrailingRow(int[] operand, int[] shape)
    {
        int first = 0;
        while (first < operand.Length && operand[first] == 1)
        {
            first++;
        }

        int dims = operand.Length - first;
        if (dims == 0 || dims > shape.Length)
        {
            return false;
        }

        for (int d = 0; d < dims; d++)
        {
            if (operand[first + d] != shape[shape.Length - dims + d])
            {
                return false;
            }
        }

        return true;
    }

    private static void Rows(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    private static void Scalar(BinaryOp op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }
}
