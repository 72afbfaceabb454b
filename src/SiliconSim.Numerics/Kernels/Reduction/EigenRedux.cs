namespace SiliconSim.Numerics.Kernels.Reduction;

/// <summary>
/// The association order of Eigen's vectorised linear reduction (Eigen/src/Core/Redux.h, redux_impl for
/// LinearVectorizedTraversal without unrolling), which ORT's CPU reductions reach through <c>.sum()</c>/<c>.mean()</c>
/// on mapped vectors. With packets of L lanes, and the first element whose address is L-element aligned at index s:
/// <list type="number">
/// <item>the aligned body [s, s + ⌊(n−s)/L⌋·L) is summed lane-wise into two packet accumulators p0 (packets 0, 2, 4, …)
/// and p1 (packets 1, 3, …), then p0 += p1, then p0 += the odd packet left over;</item>
/// <item>the packet is folded: lanes i and i + L/2 are added, halving until one lane is left (SSE predux:
/// (a0 + a2) + (a1 + a3));</item>
/// <item>the unaligned head [0, s) is added in order, then the tail after the body;</item>
/// <item>fewer than L aligned elements: a plain left-to-right fold.</item>
/// </list>
/// ORT builds Eigen for SSE2 on x86-64, so L is 16 bytes / element size; buffers start 64-byte aligned.
/// </summary>
public static class EigenRedux
{
    /// <summary>Packet width in bytes (SSE).</summary>
    public const int PacketBytes = 16;

    /// <summary>
    /// Reduces x[start..start+n) with <paramref name="op"/> in Eigen's order, given that x[0] sits on a packet boundary.
    /// </summary>
    /// <param name="x">the buffer.</param>
    /// <param name="start">the first element.</param>
    /// <param name="n">the element count (at least 1).</param>
    /// <param name="op">the binary reduction (sum, product).</param>
    /// <param name="lanes">elements per packet; 0 for <see cref="PacketBytes"/> / element size.</param>
    public static T Reduce<T>(ReadOnlySpan<T> x, int start, int n, Func<T, T, T> op, int lanes = 0)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        int l = lanes > 0 ? lanes : PacketBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        ReadOnlySpan<T> v = x.Slice(start, n);
        int alignedStart = Math.Min((l - (start % l)) % l, n);
        int alignedSize = (n - alignedStart) / l * l;
        int alignedSize2 = (n - alignedStart) / (2 * l) * (2 * l);
        int alignedEnd = alignedStart + alignedSize;
        int alignedEnd2 = alignedStart + alignedSize2;
        if (alignedSize == 0)
        {
            T acc = v[0];
            for (int i = 1; i < n; i++)
            {
                acc = op(acc, v[i]);
            }

            return acc;
        }

        Span<T> p0 = stackalloc T[l];
        Span<T> p1 = stackalloc T[l];
        v.Slice(alignedStart, l).CopyTo(p0);
        if (alignedSize > l)
        {
            v.Slice(alignedStart + l, l).CopyTo(p1);
            for (int i = alignedStart + (2 * l); i < alignedEnd2; i += 2 * l)
            {
                for (int k = 0; k < l; k++)
                {
                    p0[k] = op(p0[k], v[i + k]);
                    p1[k] = op(p1[k], v[i + l + k]);
                }
            }

            for (int k = 0; k < l; k++)
            {
                p0[k] = op(p0[k], p1[k]);
            }

            if (alignedEnd > alignedEnd2)
            {
                for (int k = 0; k < l; k++)
                {
                    p0[k] = op(p0[k], v[alignedEnd2 + k]);
                }
            }
        }

        for (int width = l / 2; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++)
            {
                p0[k] = op(p0[k], p0[k + width]);
            }
        }

        T res = p0[0];
        for (int i = 0; i < alignedStart; i++)
        {
            res = op(res, v[i]);
        }

        for (int i = alignedEnd; i < n; i++)
        {
            res = op(res, v[i]);
        }

        return res;
    }
}
