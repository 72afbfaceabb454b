namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>Copies a tensor into a larger one under numpy (multidirectional-as-unidirectional) broadcasting.</summary>
public static class Broadcast
{
    /// <summary>dst[i] = src[broadcast index of i]; <paramref name="srcShape"/> must broadcast to <paramref name="dstShape"/>.</summary>
    public static void To<T>(ReadOnlySpan<T> src, int[] srcShape, Span<T> dst, int[] dstShape)
    {
        ArgumentNullException.ThrowIfNull(srcShape);
        ArgumentNullException.ThrowIfNull(dstShape);
        int[] strides = BroadcastStrides(srcShape, dstShape);
        int rank = dstShape.Length;
        Span<int> idx = stackalloc int[rank];
        int srcOffset = 0;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = src[srcOffset];
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                srcOffset += strides[d];
                if (idx[d] < dstShape[d])
                {
                    break;
                }

                srcOffset -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>Strides of <paramref name="srcShape"/> viewed in <paramref name="dstShape"/> (0 along broadcast dims).</summary>
    public static int[] BroadcastStrides(int[] srcShape, int[] dstShape)
    {
        ArgumentNullException.ThrowIfNull(srcShape);
        ArgumentNullException.ThrowIfNull(dstShape);
        int rank = dstShape.Length;
        if (srcShape.Length > rank)
        {
            throw new ArgumentException($"shape {ShapeMath.Format(srcShape)} does not broadcast to {ShapeMath.Format(dstShape)}");
        }

        int[] own = ShapeMath.Strides(srcShape);
        var strides = new int[rank];
        int shift = rank - srcShape.Length;
        for (int d = 0; d < srcShape.Length; d++)
        {
            if (srcShape[d] == dstShape[d + shift])
            {
                strides[d + shift] = srcShape[d] == 1 ? 0 : own[d];
            }
            else if (srcShape[d] == 1)
            {
                strides[d + shift] = 0;
            }
            else
            {
                throw new ArgumentException($"shape {ShapeMath.Format(srcShape)} does not broadcast to {ShapeMath.Format(dstShape)}");
            }
        }

        return strides;
    }
}
