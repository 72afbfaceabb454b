namespace SiliconSim.Numerics.Kernels.Layout;

/// <summary>
/// Transpose by walking the output in rows of its last dimension, reading the input with the permuted strides: a
/// contiguous copy when the last axis stays last, a strided gather otherwise. It moves the same elements to the same
/// places as <see cref="LayoutKernels.TransposeReference"/>'s index map, without building the map (issue 18: the
/// transformer's head split and merge).
/// </summary>
internal static class StridedTranspose
{
    /// <summary>The transposed storage, or null for an element type it does not handle (the map path does).</summary>
    public static Array? TryRun(Array data, int[] shape, int[] perm, int[] outShape)
    {
        // Dispatch on the array's own type: the CLR lets an sbyte[] pass a byte[] pattern, and the output must keep it.
        Type type = data.GetType();
        return shape.Length == 0 ? null
            : type == typeof(float[]) ? Run((float[])data, shape, perm, outShape)
            : type == typeof(byte[]) ? Run((byte[])data, shape, perm, outShape)
            : type == typeof(sbyte[]) ? Run((sbyte[])data, shape, perm, outShape)
            : type == typeof(int[]) ? Run((int[])data, shape, perm, outShape)
            : type == typeof(long[]) ? Run((long[])data, shape, perm, outShape)
            : type == typeof(short[]) ? Run((short[])data, shape, perm, outShape)
            : type == typeof(ushort[]) ? Run((ushort[])data, shape, perm, outShape)
            : type == typeof(uint[]) ? Run((uint[])data, shape, perm, outShape)
            : type == typeof(ulong[]) ? Run((ulong[])data, shape, perm, outShape)
            : type == typeof(double[]) ? Run((double[])data, shape, perm, outShape)
            : type == typeof(Half[]) ? Run((Half[])data, shape, perm, outShape)
            : type == typeof(bool[]) ? Run((bool[])data, shape, perm, outShape)
            : null;
    }

    private static T[] Run<T>(T[] x, int[] shape, int[] perm, int[] outShape)
        where T : unmanaged
    {
        int rank = shape.Length;
        int[] inStrides = ShapeMath.Strides(shape);
        var strides = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            strides[d] = inStrides[perm[d]];
        }

        // Every element is written below.
        T[] y = TensorArena.Allocate<T>(x.Length);
        int inner = outShape[rank - 1];
        if (y.Length == 0 || inner == 0)
        {
            return y;
        }

        int innerStride = strides[rank - 1];
        int rows = y.Length / inner;
        var idx = new int[rank];
        int src = 0;
        for (int row = 0; row < rows; row++)
        {
            int dst = row * inner;
            if (innerStride == 1)
            {
                x.AsSpan(src, inner).CopyTo(y.AsSpan(dst, inner));
            }
            else
            {
                for (int j = 0, s = src; j < inner; j++, s += innerStride)
                {
                    y[dst + j] = x[s];
                }
            }

            // The next row: an odometer over the output's leading dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++;
                src += strides[d];
                if (idx[d] < outShape[d])
                {
                    break;
                }

                src -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }

        return y;
    }
}
