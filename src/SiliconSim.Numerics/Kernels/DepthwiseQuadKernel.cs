using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The inner loops of the u8s8 depthwise route: a "quad plane" holds, per output column position, the four input bytes
/// that one kernel row (up to four adjacent taps) reads, as one int; one vpdpbusd then forms the four u8·s8 products of
/// a kernel row for eight output columns at once (each product fits 16 bits, their sum 18; only the final 32-bit adds
/// wrap, and integer addition wraps associatively, so the sum is the exact modular one in any order).
/// A 3x3 kernel is three quads per output instead of nine int32 multiply-adds.
/// </summary>
internal static class DepthwiseQuadKernel
{
    // Per 128-bit lane: dword j holds bytes j..j+3 (stride 1), or bytes 2j..2j+3 (stride 2).
    private static readonly Vector256<byte> s_unitQuads = Vector256.Create((byte)0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6);
    private static readonly Vector256<byte> s_evenQuads = Vector256.Create((byte)0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9);

    /// <summary>Whether the vector loops run on this machine (the depthwise quad route is chosen only then).</summary>
    public static bool IsAccelerated => AvxVnni.IsSupported;

    /// <summary>
    /// <c>quads[j] = bytes[s·j .. s·j + 3]</c> (little-endian int) for j &lt; <paramref name="count"/>, s = 1 or 2.
    /// <paramref name="bytes"/> must hold <c>s·RoundUp(count, 8) + 24</c> bytes; <paramref name="quads"/> takes
    /// <c>RoundUp(count, 8)</c> ints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BuildQuads(ref byte bytes, ref int quads, int count, int stride)
    {
        int j = 0;
        if (Avx2.IsSupported)
        {
            // Two 16-byte loads, one per lane (the second at the lane's first dword), and one in-lane shuffle.
            Vector256<byte> control = stride == 1 ? s_unitQuads : s_evenQuads;
            int half = 4 * stride;
            for (; j < count; j += 8)
            {
                ref byte src = ref Unsafe.Add(ref bytes, j * stride);
                Vector256<byte> v = Vector256.Create(Vector128.LoadUnsafe(ref src), Vector128.LoadUnsafe(ref Unsafe.Add(ref src, half)));
                Avx2.Shuffle(v, control).AsInt32().StoreUnsafe(ref quads, (nuint)j);
            }

            return;
        }

        for (; j < count; j++)
        {
            Unsafe.Add(ref quads, j) = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref bytes, j * stride));
        }
    }

    /// <summary>
    /// <c>acc[j] = init + Σ_u dot4(quads[off[u] + j], w[u]) − wz·Σ_u dot4(quads[off[u] + j], ones[u])</c> for
    /// j &lt; <paramref name="nPad"/> (a multiple of 8), wrapping int32; dot4 multiplies the four u8 bytes of a quad by the
    /// four s8 bytes of a weight int. The ones term runs only when <paramref name="wz"/> ≠ 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateRow(ref int quads, ReadOnlySpan<int> off, ReadOnlySpan<int> w, ReadOnlySpan<int> ones, int init, int wz, ref int acc, int nPad)
    {
        if (!AvxVnni.IsSupported)
        {
            AccumulateRowScalar(ref quads, off, w, ones, init, wz, ref acc, nPad);
            return;
        }

        int nq = w.Length;
        ref int ro = ref MemoryMarshal.GetReference(off);
        ref int rw = ref MemoryMarshal.GetReference(w);
        if (wz == 0)
        {
            // Blocks of four vectors (each weight broadcast serves four columns); a ragged end recomputes an
            // overlapping last block, which stores the same values again.
            int j = 0;
            if (nPad >= 32)
            {
                for (; ; j += 32)
                {
                    j = Math.Min(j, nPad - 32);
                    Block32(ref quads, ref ro, ref rw, nq, init, ref acc, j);
                    if (j + 32 >= nPad)
                    {
                        break;
                    }
                }

                return;
            }

            for (; j < nPad; j += 8)
            {
                Vector256<int> a0 = Vector256.Create(init);
                for (int u = 0; u < nq; u++)
                {
                    ref int p = ref Unsafe.Add(ref quads, Unsafe.Add(ref ro, u) + j);
                    a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref p).AsByte(), Vector256.Create(Unsafe.Add(ref rw, u)).AsSByte());
                }

                a0.StoreUnsafe(ref acc, (nuint)j);
            }

            return;
        }

        // A non-zero weight zero point: the column sums Σ x' (ones weights on the real taps) times wz come off.
        ref int r1 = ref MemoryMarshal.GetReference(ones);
        Vector256<int> vwz = Vector256.Create(wz);
        for (int j = 0; j < nPad; j += 8)
        {
            Vector256<int> a0 = Vector256.Create(init), s0 = Vector256<int>.Zero;
            for (int u = 0; u < nq; u++)
            {
                Vector256<byte> q = Vector256.LoadUnsafe(ref Unsafe.Add(ref quads, Unsafe.Add(ref ro, u) + j)).AsByte();
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, q, Vector256.Create(Unsafe.Add(ref rw, u)).AsSByte());
                s0 = AvxVnni.MultiplyWideningAndAdd(s0, q, Vector256.Create(Unsafe.Add(ref r1, u)).AsSByte());
            }

            (a0 - (s0 * vwz)).StoreUnsafe(ref acc, (nuint)j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block32(ref int quads, ref int ro, ref int rw, int nq, int init, ref int acc, int j)
    {
        Vector256<int> a0 = Vector256.Create(init), a1 = a0, a2 = a0, a3 = a0;
        for (int u = 0; u < nq; u++)
        {
            ref int p = ref Unsafe.Add(ref quads, Unsafe.Add(ref ro, u) + j);
            Vector256<sbyte> wv = Vector256.Create(Unsafe.Add(ref rw, u)).AsSByte();
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref p).AsByte(), wv);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.LoadUnsafe(ref p, 8).AsByte(), wv);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, Vector256.LoadUnsafe(ref p, 16).AsByte(), wv);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, Vector256.LoadUnsafe(ref p, 24).AsByte(), wv);
        }

        a0.StoreUnsafe(ref acc, (nuint)j);
        a1.StoreUnsafe(ref acc, (nuint)(j + 8));
        a2.StoreUnsafe(ref acc, (nuint)(j + 16));
        a3.StoreUnsafe(ref acc, (nuint)(j + 24));
    }

    /// <summary>The scalar definition of <see cref="AccumulateRow"/> (machines without AVX-VNNI, and the tests).</summary>
    internal static void AccumulateRowScalar(ref int quads, ReadOnlySpan<int> off, ReadOnlySpan<int> w, ReadOnlySpan<int> ones, int init, int wz, ref int acc, int nPad)
    {
        for (int j = 0; j < nPad; j++)
        {
            int a = init, s = 0;
            for (int u = 0; u < w.Length; u++)
            {
                int q = Unsafe.Add(ref quads, off[u] + j);
                for (int e = 0; e < 4; e++)
                {
                    int xb = (q >> (8 * e)) & 0xFF;
                    a = unchecked(a + (xb * (sbyte)(w[u] >> (8 * e))));
                    s = unchecked(s + (xb * (sbyte)(ones[u] >> (8 * e))));
                }
            }

            Unsafe.Add(ref acc, j) = unchecked(a - (wz * s));
        }
    }
}
