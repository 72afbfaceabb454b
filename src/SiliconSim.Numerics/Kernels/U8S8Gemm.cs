using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// u8 × s8 GEMM with a broadcast-weight micro-kernel: <c>c[i·ldc + j] = init[i] + Σ_q Σ_{e&lt;4} w_q,e[i] · b_q,e[j]</c>
/// for i &lt; m, j &lt; n, exact wrapping int32. Column j lands at <c>(j / seg)·segStride + j % seg</c> within row i, so
/// a GEMM over several images' pixels can write straight into [image, channel, pixel] order (seg = pixels per image). <c>w</c> holds, per row i and K quad q, one int whose four bytes are
/// s8 weights (<c>w[i·kq + q]</c>); <c>b</c> holds, per quad q and column j, four u8 values at
/// <c>b[(q·ldb + j)·4 + e]</c>. AVX-VNNI vpdpbusd forms the four u8·s8 products and their sum exactly (each product
/// fits 16 bits, the sum 18) and wraps only in the final 32-bit add; integer addition wraps associatively, so any
/// order gives the modular dot product, which is what ORT's VNNI kernel produces (no saturation;
/// ort-cpu-semantics.md §2 "s8 vs u8").
/// </summary>
internal static class U8S8Gemm
{
    /// <summary><c>m</c> must be a multiple of this.</summary>
    public const int RowBlock = 4;

    /// <summary><c>n</c> must be a multiple of this (one 256-bit vector of int32 columns).</summary>
    public const int ColumnBlock = 8;

    /// <summary>Whether the vpdpbusd path runs on this machine (callers pick the int16 <see cref="IntGemm"/> otherwise).</summary>
    public static bool IsAccelerated => AvxVnni.IsSupported;

    /// <summary>The product with plain row-major output: column j at <c>c[i·ldc + j]</c>.</summary>
    public static void Multiply(ReadOnlySpan<int> w, ReadOnlySpan<byte> b, ReadOnlySpan<int> init, Span<int> c, int m, int n, int kq, int ldb, int ldc) =>
        Multiply(w, b, init, c, m, n, kq, ldb, ldc, Math.Max(n, ColumnBlock), 0);

    /// <summary>The product with segmented output columns (see the type summary); seg must be a multiple of 8.</summary>
    public static void Multiply(ReadOnlySpan<int> w, ReadOnlySpan<byte> b, ReadOnlySpan<int> init, Span<int> c, int m, int n, int kq, int ldb, int ldc, int seg, int segStride) =>
        Multiply(w, b, init, c, m, n, kq, ldb, ldc, seg, segStride, PanelBytes);

    /// <summary>
    /// The segmented product with column chunks whose K panel takes at most <paramref name="panelBytes"/> (at least
    /// 16 columns): tests pass a small budget so that small products cross several chunks.
    /// </summary>
    internal static void Multiply(ReadOnlySpan<int> w, ReadOnlySpan<byte> b, ReadOnlySpan<int> init, Span<int> c, int m, int n, int kq, int ldb, int ldc, int seg, int segStride, int panelBytes)
    {
        if (m % RowBlock != 0 || n % ColumnBlock != 0 || seg <= 0 || seg % ColumnBlock != 0 || ldb < n || ldc < Math.Min(n, seg)
            || (segStride == 0 ? seg < n : segStride < seg))
        {
            throw new ArgumentException($"m {m} must be a multiple of {RowBlock}, n {n} and seg {seg} of {ColumnBlock}, ldb {ldb} and ldc {ldc} at least n");
        }

        if (w.Length < m * kq || b.Length < kq * ldb * 4 || init.Length < m
            || (m > 0 && n > 0 && c.Length < ((m - 1) * ldc) + ColumnOffset(n - 1, seg, segStride) + 1))
        {
            throw new ArgumentException("operand spans are too short for the given sizes");
        }

        if (AvxVnni.IsSupported)
        {
            MultiplyAvxVnni(w, b, init, c, m, n, kq, ldb, ldc, seg, segStride, panelBytes);
        }
        else
        {
            MultiplyScalar(w, b, init, c, m, n, kq, ldb, ldc, seg, segStride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ColumnOffset(int j, int seg, int segStride) => (j / seg * segStride) + (j % seg);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyScalar(ReadOnlySpan<int> w, ReadOnlySpan<byte> b, ReadOnlySpan<int> init, Span<int> c, int m, int n, int kq, int ldb, int ldc, int seg, int segStride)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int acc = init[i];
                for (int q = 0; q < kq; q++)
                {
                    int wq = w[(i * kq) + q];
                    int bq = ((q * ldb) + j) * 4;
                    for (int e = 0; e < 4; e++)
                    {
                        acc = unchecked(acc + ((sbyte)(wq >> (8 * e)) * b[bq + e]));
                    }
                }

                c[(i * ldc) + ColumnOffset(j, seg, segStride)] = acc;
            }
        }
    }

    // Blocked as MLAS and GotoBLAS block: the columns in chunks whose K panel of b (kq·4 bytes per column) fits
    // L2, and per chunk each 4-row strip of weights (kq ints per row, from L1) sweeps the chunk in register blocks of
    // 4 rows × 16 columns (8 accumulators, 2 column loads and 4 weight broadcasts per K quad), then an 8-column tail.
    // The weights are read once per chunk: a layer with few output pixels (a 7x7 map of 512 channels, 2.4 MB of
    // weights) streams them once instead of once per 16 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvxVnni(ReadOnlySpan<int> w, ReadOnlySpan<byte> b, ReadOnlySpan<int> init, Span<int> c, int m, int n, int kq, int ldb, int ldc, int seg, int segStride, int panelBytes)
    {
        ref int rw = ref MemoryMarshal.GetReference(w);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        ref int rc = ref MemoryMarshal.GetReference(c);
        ref int ri = ref MemoryMarshal.GetReference(init);
        nuint qStride = (nuint)ldb * 4;
        int chunk = Math.Max(16, panelBytes / Math.Max(kq * 4, 1) / 16 * 16);
        for (int j0 = 0; j0 < n; j0 += chunk)
        {
            int j1 = Math.Min(n, j0 + chunk);
            for (int i = 0; i < m; i += 4)
            {
                ref int w0 = ref Unsafe.Add(ref rw, i * kq);
                int j = j0;
                if (i + 8 <= m)
                {
                    // Two row blocks at once: 16 accumulators (AVX-512's 32 vector registers hold them).
                    for (; j + 16 <= j1; j += 16)
                    {
                        ref int o0 = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j, seg, segStride));
                        ref int o1 = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j + 8, seg, segStride));
                        Block8x16(ref w0, kq, ref Unsafe.Add(ref rb, j * 4), qStride, ref Unsafe.Add(ref ri, i), ref o0, ref o1, ldc);
                    }

                    for (; j < j1; j += 8)
                    {
                        ref int o = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j, seg, segStride));
                        Block4x8(ref w0, kq, ref Unsafe.Add(ref rb, j * 4), qStride, ref Unsafe.Add(ref ri, i), ref o, ldc);
                        Block4x8(ref Unsafe.Add(ref w0, 4 * kq), kq, ref Unsafe.Add(ref rb, j * 4), qStride, ref Unsafe.Add(ref ri, i + 4), ref Unsafe.Add(ref o, 4 * ldc), ldc);
                    }

                    i += 4;
                    continue;
                }

                for (; j + 16 <= j1; j += 16)
                {
                    ref int o0 = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j, seg, segStride));
                    ref int o1 = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j + 8, seg, segStride));
                    Block4x16(ref w0, kq, ref Unsafe.Add(ref rb, j * 4), qStride, ref Unsafe.Add(ref ri, i), ref o0, ref o1, ldc);
                }

                for (; j < j1; j += 8)
                {
                    ref int o = ref Unsafe.Add(ref rc, (i * ldc) + ColumnOffset(j, seg, segStride));
                    Block4x8(ref w0, kq, ref Unsafe.Add(ref rb, j * 4), qStride, ref Unsafe.Add(ref ri, i), ref o, ldc);
                }
            }
        }
    }

    // The share of a 1 MiB L2 one column chunk's K panel may take (the weights strip and output need the rest).
    private const int PanelBytes = 512 * 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x16(ref int w0, int kq, ref byte bj, nuint qStride, ref int init, ref int o0, ref int o1, int ldc)
    {
        ref int w1 = ref Unsafe.Add(ref w0, kq);
        ref int w2 = ref Unsafe.Add(ref w1, kq);
        ref int w3 = ref Unsafe.Add(ref w2, kq);
        ref int w4 = ref Unsafe.Add(ref w3, kq);
        ref int w5 = ref Unsafe.Add(ref w4, kq);
        ref int w6 = ref Unsafe.Add(ref w5, kq);
        ref int w7 = ref Unsafe.Add(ref w6, kq);
        Vector256<int> c00 = Vector256.Create(init), c01 = c00;
        Vector256<int> c10 = Vector256.Create(Unsafe.Add(ref init, 1)), c11 = c10;
        Vector256<int> c20 = Vector256.Create(Unsafe.Add(ref init, 2)), c21 = c20;
        Vector256<int> c30 = Vector256.Create(Unsafe.Add(ref init, 3)), c31 = c30;
        Vector256<int> c40 = Vector256.Create(Unsafe.Add(ref init, 4)), c41 = c40;
        Vector256<int> c50 = Vector256.Create(Unsafe.Add(ref init, 5)), c51 = c50;
        Vector256<int> c60 = Vector256.Create(Unsafe.Add(ref init, 6)), c61 = c60;
        Vector256<int> c70 = Vector256.Create(Unsafe.Add(ref init, 7)), c71 = c70;
        nuint off = 0;
        for (int q = 0; q < kq; q++, off += qStride)
        {
            Vector256<byte> b0 = Vector256.LoadUnsafe(ref bj, off);
            Vector256<byte> b1 = Vector256.LoadUnsafe(ref bj, off + 32);
            Vector256<sbyte> a = Vector256.Create(Unsafe.Add(ref w0, q)).AsSByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, b0, a);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w1, q)).AsSByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, b0, a);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w2, q)).AsSByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, b0, a);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w3, q)).AsSByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, b0, a);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w4, q)).AsSByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, b0, a);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w5, q)).AsSByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, b0, a);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w6, q)).AsSByte();
            c60 = AvxVnni.MultiplyWideningAndAdd(c60, b0, a);
            c61 = AvxVnni.MultiplyWideningAndAdd(c61, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w7, q)).AsSByte();
            c70 = AvxVnni.MultiplyWideningAndAdd(c70, b0, a);
            c71 = AvxVnni.MultiplyWideningAndAdd(c71, b1, a);
        }

        c00.StoreUnsafe(ref o0);
        c01.StoreUnsafe(ref o1);
        c10.StoreUnsafe(ref Unsafe.Add(ref o0, ldc));
        c11.StoreUnsafe(ref Unsafe.Add(ref o1, ldc));
        c20.StoreUnsafe(ref Unsafe.Add(ref o0, 2 * ldc));
        c21.StoreUnsafe(ref Unsafe.Add(ref o1, 2 * ldc));
        c30.StoreUnsafe(ref Unsafe.Add(ref o0, 3 * ldc));
        c31.StoreUnsafe(ref Unsafe.Add(ref o1, 3 * ldc));
        c40.StoreUnsafe(ref Unsafe.Add(ref o0, 4 * ldc));
        c41.StoreUnsafe(ref Unsafe.Add(ref o1, 4 * ldc));
        c50.StoreUnsafe(ref Unsafe.Add(ref o0, 5 * ldc));
        c51.StoreUnsafe(ref Unsafe.Add(ref o1, 5 * ldc));
        c60.StoreUnsafe(ref Unsafe.Add(ref o0, 6 * ldc));
        c61.StoreUnsafe(ref Unsafe.Add(ref o1, 6 * ldc));
        c70.StoreUnsafe(ref Unsafe.Add(ref o0, 7 * ldc));
        c71.StoreUnsafe(ref Unsafe.Add(ref o1, 7 * ldc));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x16(ref int w0, int kq, ref byte bj, nuint qStride, ref int init, ref int o0, ref int o1, int ldc)
    {
        ref int w1 = ref Unsafe.Add(ref w0, kq);
        ref int w2 = ref Unsafe.Add(ref w1, kq);
        ref int w3 = ref Unsafe.Add(ref w2, kq);
        Vector256<int> c00 = Vector256.Create(init), c01 = c00;
        Vector256<int> c10 = Vector256.Create(Unsafe.Add(ref init, 1)), c11 = c10;
        Vector256<int> c20 = Vector256.Create(Unsafe.Add(ref init, 2)), c21 = c20;
        Vector256<int> c30 = Vector256.Create(Unsafe.Add(ref init, 3)), c31 = c30;
        nuint off = 0;
        for (int q = 0; q < kq; q++, off += qStride)
        {
            Vector256<byte> b0 = Vector256.LoadUnsafe(ref bj, off);
            Vector256<byte> b1 = Vector256.LoadUnsafe(ref bj, off + 32);
            Vector256<sbyte> a = Vector256.Create(Unsafe.Add(ref w0, q)).AsSByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, b0, a);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w1, q)).AsSByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, b0, a);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w2, q)).AsSByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, b0, a);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, b1, a);
            a = Vector256.Create(Unsafe.Add(ref w3, q)).AsSByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, b0, a);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, b1, a);
        }

        c00.StoreUnsafe(ref o0);
        c01.StoreUnsafe(ref o1);
        c10.StoreUnsafe(ref Unsafe.Add(ref o0, ldc));
        c11.StoreUnsafe(ref Unsafe.Add(ref o1, ldc));
        c20.StoreUnsafe(ref Unsafe.Add(ref o0, 2 * ldc));
        c21.StoreUnsafe(ref Unsafe.Add(ref o1, 2 * ldc));
        c30.StoreUnsafe(ref Unsafe.Add(ref o0, 3 * ldc));
        c31.StoreUnsafe(ref Unsafe.Add(ref o1, 3 * ldc));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x8(ref int w0, int kq, ref byte bj, nuint qStride, ref int init, ref int o, int ldc)
    {
        ref int w1 = ref Unsafe.Add(ref w0, kq);
        ref int w2 = ref Unsafe.Add(ref w1, kq);
        ref int w3 = ref Unsafe.Add(ref w2, kq);
        Vector256<int> c0 = Vector256.Create(init);
        Vector256<int> c1 = Vector256.Create(Unsafe.Add(ref init, 1));
        Vector256<int> c2 = Vector256.Create(Unsafe.Add(ref init, 2));
        Vector256<int> c3 = Vector256.Create(Unsafe.Add(ref init, 3));
        nuint off = 0;
        for (int q = 0; q < kq; q++, off += qStride)
        {
            Vector256<byte> b0 = Vector256.LoadUnsafe(ref bj, off);
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, b0, Vector256.Create(Unsafe.Add(ref w0, q)).AsSByte());
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, b0, Vector256.Create(Unsafe.Add(ref w1, q)).AsSByte());
            c2 = AvxVnni.MultiplyWideningAndAdd(c2, b0, Vector256.Create(Unsafe.Add(ref w2, q)).AsSByte());
            c3 = AvxVnni.MultiplyWideningAndAdd(c3, b0, Vector256.Create(Unsafe.Add(ref w3, q)).AsSByte());
        }

        c0.StoreUnsafe(ref o);
        c1.StoreUnsafe(ref Unsafe.Add(ref o, ldc));
        c2.StoreUnsafe(ref Unsafe.Add(ref o, 2 * ldc));
        c3.StoreUnsafe(ref Unsafe.Add(ref o, 3 * ldc));
    }
}
