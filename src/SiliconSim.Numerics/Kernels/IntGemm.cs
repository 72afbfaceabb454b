using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The integer GEMM core behind every quantized conv and matmul: operands are zero-point-subtracted codes held as
/// int16 (each in [−255, 255]) with K padded with zeros to <see cref="KAlignment"/>, and products are summed in
/// wrapping int32. Because int32 addition wraps associatively, any summation order gives the same bits as ORT's
/// AVX512-VNNI u8s8 kernel (which does not saturate; ort-cpu-semantics.md §2 "s8 vs u8").
/// </summary>
public static class IntGemm
{
    /// <summary>The packed K stride must be a multiple of this (one 256-bit vector of int16).</summary>
    public const int KAlignment = 16;

    /// <summary><paramref name="k"/> rounded up to <see cref="KAlignment"/>.</summary>
    public static int PaddedK(int k) => (k + KAlignment - 1) / KAlignment * KAlignment;

    /// <summary>
    /// <c>c[i·ldc + j] = Σ_t a[i·kStride + t] · bt[j·kStride + t]</c> for i &lt; m, j &lt; n, t &lt; kStride: the
    /// product of A [m, K] with the transpose of Bt [n, K], exact wrapping int32. Overwrites c.
    /// Each product of two int16 in [−255, 255] and each pair sum fit int32, so pmaddwd is exact here.
    /// </summary>
    public static void MultiplyTransposed(ReadOnlySpan<short> a, ReadOnlySpan<short> bt, Span<int> c, int m, int n, int kStride, int ldc)
    {
        if (kStride % KAlignment != 0)
        {
            throw new ArgumentException($"kStride {kStride} is not a multiple of {KAlignment}");
        }

        if (a.Length < m * kStride || bt.Length < n * kStride || (m > 0 && n > 0 && c.Length < ((m - 1) * ldc) + n))
        {
            throw new ArgumentException("operand spans are too short for the given sizes");
        }

        if (Avx512BW.IsSupported && kStride % 32 == 0)
        {
            MultiplyAvx512(a, bt, c, m, n, kStride, ldc);
        }
        else if (AvxVnni.IsSupported)
        {
            MultiplyAvxVnni(a, bt, c, m, n, kStride, ldc);
        }
        else if (Avx2.IsSupported)
        {
            MultiplyAvx2(a, bt, c, m, n, kStride, ldc);
        }
        else
        {
            MultiplyScalar(a, bt, c, m, n, kStride, ldc);
        }
    }

    // The four horizontal sums at once: two rounds of phaddd leave, per 128-bit half, the partial sums of a, b, c, d
    // in lanes 0..3; adding the halves finishes them. Integer adds wrap, so the order does not matter.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Sum4(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        Vector256<int> h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a, b), Avx2.HorizontalAdd(c, d));
        return Sse2.Add(h.GetLower(), h.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyScalar(ReadOnlySpan<short> a, ReadOnlySpan<short> bt, Span<int> c, int m, int n, int kStride, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<short> ar = a.Slice(i * kStride, kStride);
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<short> br = bt.Slice(j * kStride, kStride);
                int acc = 0;
                for (int t = 0; t < kStride; t++)
                {
                    acc = unchecked(acc + (ar[t] * br[t]));
                }

                c[(i * ldc) + j] = acc;
            }
        }
    }

    // Register-blocked 2 rows of A × 4 rows of Bt: 6 loads feed 8 pmaddwd per 16-wide K step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvx2(ReadOnlySpan<short> a, ReadOnlySpan<short> bt, Span<int> c, int m, int n, int kStride, int ldc)
    {
        ref short ra = ref MemoryMarshal.GetReference(a);
        ref short rb = ref MemoryMarshal.GetReference(bt);
        ref int rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i + 2 <= m; i += 2)
        {
            nuint a0 = (nuint)(i * kStride);
            nuint a1 = a0 + (nuint)kStride;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                nuint b0 = (nuint)(j * kStride);
                nuint b1 = b0 + (nuint)kStride;
                nuint b2 = b1 + (nuint)kStride;
                nuint b3 = b2 + (nuint)kStride;
                Vector256<int> c00 = Vector256<int>.Zero, c01 = c00, c02 = c00, c03 = c00;
                Vector256<int> c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    Vector256<short> va0 = Vector256.LoadUnsafe(ref ra, a0 + t);
                    Vector256<short> va1 = Vector256.LoadUnsafe(ref ra, a1 + t);
                    Vector256<short> vb = Vector256.LoadUnsafe(ref rb, b0 + t);
                    c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(va0, vb));
                    c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(va1, vb));
                    vb = Vector256.LoadUnsafe(ref rb, b1 + t);
                    c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(va0, vb));
                    c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(va1, vb));
                    vb = Vector256.LoadUnsafe(ref rb, b2 + t);
                    c02 = Avx2.Add(c02, Avx2.MultiplyAddAdjacent(va0, vb));
                    c12 = Avx2.Add(c12, Avx2.MultiplyAddAdjacent(va1, vb));
                    vb = Vector256.LoadUnsafe(ref rb, b3 + t);
                    c03 = Avx2.Add(c03, Avx2.MultiplyAddAdjacent(va0, vb));
                    c13 = Avx2.Add(c13, Avx2.MultiplyAddAdjacent(va1, vb));
                }

                ref int row0 = ref Unsafe.Add(ref rc, (i * ldc) + j);
                ref int row1 = ref Unsafe.Add(ref rc, ((i + 1) * ldc) + j);
                Sum4(c00, c01, c02, c03).StoreUnsafe(ref row0);
                Sum4(c10, c11, c12, c13).StoreUnsafe(ref row1);
            }

            for (; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector256<int> c0 = Vector256<int>.Zero, c1 = c0;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    Vector256<short> vb = Vector256.LoadUnsafe(ref rb, b0 + t);
                    c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref ra, a0 + t), vb));
                    c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref ra, a1 + t), vb));
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector256.Sum(c0);
                Unsafe.Add(ref rc, ((i + 1) * ldc) + j) = Vector256.Sum(c1);
            }
        }

        for (; i < m; i++)
        {
            nuint a0 = (nuint)(i * kStride);
            for (int j = 0; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector256<int> c0 = Vector256<int>.Zero;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref ra, a0 + t), Vector256.LoadUnsafe(ref rb, b0 + t)));
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector256.Sum(c0);
            }
        }
    }

    // The AVX2 blocking with vpdpwssd (AVX-VNNI): the multiply, pair add and accumulate in one instruction.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvxVnni(ReadOnlySpan<short> a, ReadOnlySpan<short> bt, Span<int> c, int m, int n, int kStride, int ldc)
    {
        ref short ra = ref MemoryMarshal.GetReference(a);
        ref short rb = ref MemoryMarshal.GetReference(bt);
        ref int rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i + 2 <= m; i += 2)
        {
            nuint a0 = (nuint)(i * kStride);
            nuint a1 = a0 + (nuint)kStride;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                nuint b0 = (nuint)(j * kStride);
                nuint b1 = b0 + (nuint)kStride;
                nuint b2 = b1 + (nuint)kStride;
                nuint b3 = b2 + (nuint)kStride;
                Vector256<int> c00 = Vector256<int>.Zero, c01 = c00, c02 = c00, c03 = c00;
                Vector256<int> c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    Vector256<short> va0 = Vector256.LoadUnsafe(ref ra, a0 + t);
                    Vector256<short> va1 = Vector256.LoadUnsafe(ref ra, a1 + t);
                    Vector256<short> vb = Vector256.LoadUnsafe(ref rb, b0 + t);
                    c00 = AvxVnni.MultiplyWideningAndAdd(c00, va0, vb);
                    c10 = AvxVnni.MultiplyWideningAndAdd(c10, va1, vb);
                    vb = Vector256.LoadUnsafe(ref rb, b1 + t);
                    c01 = AvxVnni.MultiplyWideningAndAdd(c01, va0, vb);
                    c11 = AvxVnni.MultiplyWideningAndAdd(c11, va1, vb);
                    vb = Vector256.LoadUnsafe(ref rb, b2 + t);
                    c02 = AvxVnni.MultiplyWideningAndAdd(c02, va0, vb);
                    c12 = AvxVnni.MultiplyWideningAndAdd(c12, va1, vb);
                    vb = Vector256.LoadUnsafe(ref rb, b3 + t);
                    c03 = AvxVnni.MultiplyWideningAndAdd(c03, va0, vb);
                    c13 = AvxVnni.MultiplyWideningAndAdd(c13, va1, vb);
                }

                ref int row0 = ref Unsafe.Add(ref rc, (i * ldc) + j);
                ref int row1 = ref Unsafe.Add(ref rc, ((i + 1) * ldc) + j);
                Sum4(c00, c01, c02, c03).StoreUnsafe(ref row0);
                Sum4(c10, c11, c12, c13).StoreUnsafe(ref row1);
            }

            for (; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector256<int> c0 = Vector256<int>.Zero, c1 = c0;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    Vector256<short> vb = Vector256.LoadUnsafe(ref rb, b0 + t);
                    c0 = AvxVnni.MultiplyWideningAndAdd(c0, Vector256.LoadUnsafe(ref ra, a0 + t), vb);
                    c1 = AvxVnni.MultiplyWideningAndAdd(c1, Vector256.LoadUnsafe(ref ra, a1 + t), vb);
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector256.Sum(c0);
                Unsafe.Add(ref rc, ((i + 1) * ldc) + j) = Vector256.Sum(c1);
            }
        }

        for (; i < m; i++)
        {
            nuint a0 = (nuint)(i * kStride);
            for (int j = 0; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector256<int> c0 = Vector256<int>.Zero;
                for (nuint t = 0; t < (nuint)kStride; t += 16)
                {
                    c0 = AvxVnni.MultiplyWideningAndAdd(c0, Vector256.LoadUnsafe(ref ra, a0 + t), Vector256.LoadUnsafe(ref rb, b0 + t));
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector256.Sum(c0);
            }
        }
    }

    // The same blocking with 512-bit vectors (32 int16 per K step).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAvx512(ReadOnlySpan<short> a, ReadOnlySpan<short> bt, Span<int> c, int m, int n, int kStride, int ldc)
    {
        ref short ra = ref MemoryMarshal.GetReference(a);
        ref short rb = ref MemoryMarshal.GetReference(bt);
        ref int rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i + 2 <= m; i += 2)
        {
            nuint a0 = (nuint)(i * kStride);
            nuint a1 = a0 + (nuint)kStride;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                nuint b0 = (nuint)(j * kStride);
                nuint b1 = b0 + (nuint)kStride;
                nuint b2 = b1 + (nuint)kStride;
                nuint b3 = b2 + (nuint)kStride;
                Vector512<int> c00 = Vector512<int>.Zero, c01 = c00, c02 = c00, c03 = c00;
                Vector512<int> c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                for (nuint t = 0; t < (nuint)kStride; t += 32)
                {
                    Vector512<short> va0 = Vector512.LoadUnsafe(ref ra, a0 + t);
                    Vector512<short> va1 = Vector512.LoadUnsafe(ref ra, a1 + t);
                    Vector512<short> vb = Vector512.LoadUnsafe(ref rb, b0 + t);
                    c00 = Avx512F.Add(c00, Avx512BW.MultiplyAddAdjacent(va0, vb));
                    c10 = Avx512F.Add(c10, Avx512BW.MultiplyAddAdjacent(va1, vb));
                    vb = Vector512.LoadUnsafe(ref rb, b1 + t);
                    c01 = Avx512F.Add(c01, Avx512BW.MultiplyAddAdjacent(va0, vb));
                    c11 = Avx512F.Add(c11, Avx512BW.MultiplyAddAdjacent(va1, vb));
                    vb = Vector512.LoadUnsafe(ref rb, b2 + t);
                    c02 = Avx512F.Add(c02, Avx512BW.MultiplyAddAdjacent(va0, vb));
                    c12 = Avx512F.Add(c12, Avx512BW.MultiplyAddAdjacent(va1, vb));
                    vb = Vector512.LoadUnsafe(ref rb, b3 + t);
                    c03 = Avx512F.Add(c03, Avx512BW.MultiplyAddAdjacent(va0, vb));
                    c13 = Avx512F.Add(c13, Avx512BW.MultiplyAddAdjacent(va1, vb));
                }

                ref int row0 = ref Unsafe.Add(ref rc, (i * ldc) + j);
                ref int row1 = ref Unsafe.Add(ref rc, ((i + 1) * ldc) + j);
                row0 = Vector512.Sum(c00);
                Unsafe.Add(ref row0, 1) = Vector512.Sum(c01);
                Unsafe.Add(ref row0, 2) = Vector512.Sum(c02);
                Unsafe.Add(ref row0, 3) = Vector512.Sum(c03);
                row1 = Vector512.Sum(c10);
                Unsafe.Add(ref row1, 1) = Vector512.Sum(c11);
                Unsafe.Add(ref row1, 2) = Vector512.Sum(c12);
                Unsafe.Add(ref row1, 3) = Vector512.Sum(c13);
            }

            for (; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector512<int> c0 = Vector512<int>.Zero, c1 = c0;
                for (nuint t = 0; t < (nuint)kStride; t += 32)
                {
                    Vector512<short> vb = Vector512.LoadUnsafe(ref rb, b0 + t);
                    c0 = Avx512F.Add(c0, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref ra, a0 + t), vb));
                    c1 = Avx512F.Add(c1, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref ra, a1 + t), vb));
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector512.Sum(c0);
                Unsafe.Add(ref rc, ((i + 1) * ldc) + j) = Vector512.Sum(c1);
            }
        }

        for (; i < m; i++)
        {
            nuint a0 = (nuint)(i * kStride);
            for (int j = 0; j < n; j++)
            {
                nuint b0 = (nuint)(j * kStride);
                Vector512<int> c0 = Vector512<int>.Zero;
                for (nuint t = 0; t < (nuint)kStride; t += 32)
                {
                    c0 = Avx512F.Add(c0, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref ra, a0 + t), Vector512.LoadUnsafe(ref rb, b0 + t)));
                }

                Unsafe.Add(ref rc, (i * ldc) + j) = Vector512.Sum(c0);
            }
        }
    }
}
