using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, in the exact summation order of ONNX Runtime's MLAS SGEMM on
/// x86-64 (onnxruntime/core/mlas/lib/sgemm.cpp, x86_64/FgemmKernelAvx512FCommon.h, SgemmKernelM1Avx.S,
/// SgemmKernelM1TransposeBAvx.S), single-threaded.
/// <para>
/// General path (<see cref="Sgemm"/>): N is cut into slices of StrideN and K into blocks of StrideK, where both start at
/// 128 and: if N ≥ K, while StrideK/2 ≥ K {StrideN·=2; StrideK/=2}; else if A is not transposed, while StrideN &gt; 16
/// and StrideN/2 ≥ N {StrideK·=2; StrideN/=2}. If beta ∉ {0, 1}, each C slice is first multiplied by beta (fp32).
/// For each K block, every output keeps an accumulator that starts at +0 and takes a sequential fp32 FMA chain
/// acc = fma(a[m,k], b[k,n], acc) over the block's k in increasing order; it is then written as C = acc·alpha for the
/// first block when beta = 0, else C = fma(acc, alpha, C).
/// </para>
/// <para>
/// Special cases that bypass the blocking (alpha = 1 and beta ∈ {0, 1} only):
/// M = 1 with A not transposed, and N = 1 with ldb = ldc = 1. They use the AVX (non-FMA) M1 kernels: see
/// <see cref="KernelM1"/> and <see cref="KernelM1TransposeB"/>.
/// </para>
/// </summary>
public static class FloatGemm
{
    /// <summary>MLAS_SGEMM_STRIDEN / MLAS_SGEMM_STRIDEK (mlasi.h).</summary>
    public const int DefaultStride = 128;

    /// <summary>MLAS_SGEMM_PACKED_STRIDEN (mlasi.h): the N slice of the pre-packed-B path.</summary>
    public const int PackedStrideN = 128;

    /// <summary>MLAS_SGEMM_PACKED_STRIDEK (mlasi.h): the K block of the pre-packed-B path.</summary>
    public const int PackedStrideK = 256;

    /// <summary>The (StrideN, StrideK) slicing MlasSgemmOperation and MlasConvOperation choose for an N×K problem.</summary>
    public static (int StrideN, int StrideK) Strides(int n, int k, bool transA)
    {
        int strideN = DefaultStride;
        int strideK = DefaultStride;
        if (n >= k)
        {
            while (strideK / 2 >= k)
            {
                strideN *= 2;
                strideK /= 2;
            }
        }
        else if (!transA)
        {
            while (strideN > 16 && strideN / 2 >= n)
            {
                strideK *= 2;
                strideN /= 2;
            }
        }

        return (strideN, strideK);
    }

    /// <summary>
    /// MlasSgemmOperation: the unpacked path (B supplied at run time). Element (i, j) of op(A) is
    /// <c>transA ? a[j·lda + i] : a[i·lda + j]</c>; likewise for B. C is M×N with row stride <paramref name="ldc"/>.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            MultiplyBeta(c, m, n, ldc, beta);
            return;
        }

        bool betaSimple = beta == 0f || beta == 1f;
        // sgemm.cpp: "small M" — the M1 kernels read B in place; KernelM1 for B as is, M1TransposeB for transposed B.
        if (m == 1 && !transA && alpha == 1f && betaSimple)
        {
            if (!transB)
            {
                KernelM1(a, b, c, k, n, ldb, beta);
            }
            else
            {
                KernelM1TransposeB(a, b, c, k, n, ldb, beta);
            }

            return;
        }

        // sgemm.cpp: B and C are contiguous column vectors, so C^T = B^T·A^T runs through the same M1 kernels.
        if (n == 1 && ldb == 1 && ldc == 1 && alpha == 1f && betaSimple)
        {
            if (!transA)
            {
                KernelM1TransposeB(b, a, c, k, m, lda, beta);
            }
            else
            {
                KernelM1(b, a, c, k, m, lda, beta);
            }

            return;
        }

        (int strideN, int strideK) = Strides(n, k, transA);
        Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, strideN, strideK);
    }

    /// <summary>
    /// MlasSgemmPackedOperation: the path ORT takes when B is a constant initializer pre-packed by MlasGemmPackB
    /// (Gemm/MatMul PrePack). Fixed slicing: N by <see cref="PackedStrideN"/>, K by <see cref="PackedStrideK"/>; no M1
    /// special cases; the same per-block FMA chain and C update as <see cref="Sgemm"/>.
    /// </summary>
    public static void SgemmPackedB(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            MultiplyBeta(c, m, n, ldc, beta);
            return;
        }

        Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, PackedStrideN, PackedStrideK);
    }

    private static void MultiplyBeta(Span<float> c, int m, int n, int ldc, float beta)
    {
        if (beta == 1f)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            for (int j = 0; j < n; j++)
            {
                row[j] = beta == 0f ? 0f : row[j] * beta;
            }
        }
    }

    private static void Blocked(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int strideN, int strideK)
    {
        int panelN = Math.Min(strideN, n);
        int panelK = Math.Min(strideK, k);
        if (Avx512F.IsSupported)
        {
            BlockedAvx512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, strideN, strideK);
            return;
        }

        var panel = new float[panelN * panelK];
        var acc = new float[panelN];
        var aRow = new float[panelK];
        for (int n0 = 0; n0 < n; n0 += strideN)
        {
            int cn = Math.Min(strideN, n - n0);
            if (beta != 0f && beta != 1f)
            {
                for (int i = 0; i < m; i++)
                {
                    Span<float> row = c.Slice((i * ldc) + n0, cn);
                    for (int j = 0; j < cn; j++)
                    {
                        row[j] *= beta;
                    }
                }
            }

            bool zeroMode = beta == 0f;
            for (int k0 = 0; k0 < k; k0 += strideK)
            {
                int ck = Math.Min(strideK, k - k0);
                // Pack the B block as [ck][cn] so the inner loop runs along contiguous n (MlasSgemmCopyPackB/TransposePackB).
                for (int kk = 0; kk < ck; kk++)
                {
                    Span<float> dst = panel.AsSpan(kk * cn, cn);
                    for (int j = 0; j < cn; j++)
                    {
                        dst[j] = transB ? b[((n0 + j) * ldb) + k0 + kk] : b[((k0 + kk) * ldb) + n0 + j];
                    }
                }

                for (int i = 0; i < m; i++)
                {
                    for (int kk = 0; kk < ck; kk++)
                    {
                        aRow[kk] = transA ? a[((k0 + kk) * lda) + i] : a[(i * lda) + k0 + kk];
                    }

                    BlockRow(aRow.AsSpan(0, ck), panel.AsSpan(0, ck * cn), acc.AsSpan(0, cn));
                    Span<float> crow = c.Slice((i * ldc) + n0, cn);
                    for (int j = 0; j < cn; j++)
                    {
                        crow[j] = zeroMode ? acc[j] * alpha : MathF.FusedMultiplyAdd(acc[j], alpha, crow[j]);
                    }
                }

                zeroMode = false;
            }
        }
    }

    // Per-thread packing buffers, reused across calls (a conv calls SGEMM once per image); contents never carry over
    // into results: every entry a call reads it wrote first, or sits in a discarded lane.
    [ThreadStatic]
    private static float[]? s_panel;

    [ThreadStatic]
    private static float[]? s_aPack;

    private static float[] Scratch(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer;
    }

    /// <summary>
    /// <see cref="Blocked"/> with AVX-512: the B block packed as [k][columns rounded up to 16] and the A block as
    /// [row][k]; tiles of 4 rows × 32 (or 16) columns, each lane one output with its own fma chain over the block's k
    /// in order. Lanes past the slice's columns compute on stale panel entries and are never stored.
    /// </summary>
    private static void BlockedAvx512(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int strideN, int strideK)
    {
        int panelN = Math.Min(strideN, n);
        int panelK = Math.Min(strideK, k);
        int padN = (panelN + 15) & ~15;
        float[] panel = Scratch(ref s_panel, padN * panelK);
        float[] aPack = Scratch(ref s_aPack, m * panelK);
        Span<Vector512<float>> tile = stackalloc Vector512<float>[8];
        Span<float> lanes = stackalloc float[16];
        for (int n0 = 0; n0 < n; n0 += strideN)
        {
            int cn = Math.Min(strideN, n - n0);
            int cnPad = (cn + 15) & ~15;
            if (beta != 0f && beta != 1f)
            {
                for (int i = 0; i < m; i++)
                {
                    Span<float> row = c.Slice((i * ldc) + n0, cn);
                    for (int j = 0; j < cn; j++)
                    {
                        row[j] *= beta;
                    }
                }
            }

            bool zeroMode = beta == 0f;
            for (int k0 = 0; k0 < k; k0 += strideK)
            {
                int ck = Math.Min(strideK, k - k0);
                for (int kk = 0; kk < ck; kk++)
                {
                    Span<float> dst = panel.AsSpan(kk * cnPad, cn);
                    if (transB)
                    {
                        for (int j = 0; j < cn; j++)
                        {
                            dst[j] = b[((n0 + j) * ldb) + k0 + kk];
                        }
                    }
                    else
                    {
                        b.Slice(((k0 + kk) * ldb) + n0, cn).CopyTo(dst);
                    }
                }

                for (int i = 0; i < m; i++)
                {
                    Span<float> dst = aPack.AsSpan(i * ck, ck);
                    if (transA)
                    {
                        for (int kk = 0; kk < ck; kk++)
                        {
                            dst[kk] = a[((k0 + kk) * lda) + i];
                        }
                    }
                    else
                    {
                        a.Slice((i * lda) + k0, ck).CopyTo(dst);
                    }
                }

                for (int i0 = 0; i0 < m; i0 += 4)
                {
                    int rows = Math.Min(4, m - i0);
                    for (int j0 = 0; j0 < cnPad; j0 += 32)
                    {
                        int vectors = Math.Min(2, (cnPad - j0) / 16);
                        Tile4x2(aPack.AsSpan(), i0, rows, ck, panel.AsSpan(), cnPad, j0, tile);
                        for (int r = 0; r < rows; r++)
                        {
                            Span<float> crow = c.Slice(((i0 + r) * ldc) + n0, cn);
                            for (int v = 0; v < vectors; v++)
                            {
                                int j = j0 + (16 * v);
                                Vector512<float> acc = tile[(v * 4) + r];
                                if (j + 16 <= cn)
                                {
                                    Vector512<float> cv = zeroMode ? acc * alpha : Avx512F.FusedMultiplyAdd(acc, Vector512.Create(alpha), Vector512.Create<float>(crow.Slice(j, 16)));
                                    cv.CopyTo(crow.Slice(j, 16));
                                }
                                else
                                {
                                    acc.CopyTo(lanes);
                                    for (int l = 0; j + l < cn; l++)
                                    {
                                        crow[j + l] = zeroMode ? lanes[l] * alpha : MathF.FusedMultiplyAdd(lanes[l], alpha, crow[j + l]);
                                    }
                                }
                            }
                        }
                    }
                }

                zeroMode = false;
            }
        }
    }

    /// <summary>
    /// Rows i0..i0+rows (≤ 4) × columns j0..j0+32 (or 16 if the padded width ends first): tile[v·4 + r] = +0, then
    /// fma(a[r][kk], panel[kk][j0 + 16v ..], ·) for kk ascending. Rows past <paramref name="rows"/> repeat the last row.
    /// </summary>
    private static void Tile4x2(ReadOnlySpan<float> aPack, int i0, int rows, int ck, ReadOnlySpan<float> panel, int cnPad, int j0, Span<Vector512<float>> tile)
    {
        ref float ar0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(aPack), i0 * ck);
        ref float ar1 = ref Unsafe.Add(ref ar0, Math.Min(1, rows - 1) * ck);
        ref float ar2 = ref Unsafe.Add(ref ar0, Math.Min(2, rows - 1) * ck);
        ref float ar3 = ref Unsafe.Add(ref ar0, Math.Min(3, rows - 1) * ck);
        ref float pr = ref MemoryMarshal.GetReference(panel);
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c02 = c00, c03 = c00;
        if (j0 + 32 <= cnPad)
        {
            Vector512<float> c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            nuint pi = (nuint)j0;
            for (int kk = 0; kk < ck; kk++)
            {
                Vector512<float> b0 = Vector512.LoadUnsafe(ref pr, pi);
                Vector512<float> b1 = Vector512.LoadUnsafe(ref pr, pi + 16);
                Vector512<float> a0 = Vector512.Create(Unsafe.Add(ref ar0, kk));
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                c10 = Avx512F.FusedMultiplyAdd(a0, b1, c10);
                Vector512<float> a1 = Vector512.Create(Unsafe.Add(ref ar1, kk));
                c01 = Avx512F.FusedMultiplyAdd(a1, b0, c01);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
                Vector512<float> a2 = Vector512.Create(Unsafe.Add(ref ar2, kk));
                c02 = Avx512F.FusedMultiplyAdd(a2, b0, c02);
                c12 = Avx512F.FusedMultiplyAdd(a2, b1, c12);
                Vector512<float> a3 = Vector512.Create(Unsafe.Add(ref ar3, kk));
                c03 = Avx512F.FusedMultiplyAdd(a3, b0, c03);
                c13 = Avx512F.FusedMultiplyAdd(a3, b1, c13);
                pi += (nuint)cnPad;
            }

            tile[4] = c10;
            tile[5] = c11;
            tile[6] = c12;
            tile[7] = c13;
        }
        else
        {
            nuint pi = (nuint)j0;
            for (int kk = 0; kk < ck; kk++)
            {
                Vector512<float> b0 = Vector512.LoadUnsafe(ref pr, pi);
                c00 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ar0, kk)), b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ar1, kk)), b0, c01);
                c02 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ar2, kk)), b0, c02);
                c03 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ar3, kk)), b0, c03);
                pi += (nuint)cnPad;
            }
        }

        tile[0] = c00;
        tile[1] = c01;
        tile[2] = c02;
        tile[3] = c03;
    }

    /// <summary>acc[j] = +0, then acc[j] = fma(aRow[kk], panel[kk][j], acc[j]) for kk ascending.</summary>
    private static void BlockRow(ReadOnlySpan<float> aRow, ReadOnlySpan<float> panel, Span<float> acc)
    {
        int cn = acc.Length;
        acc.Clear();
        int vecEnd = Vector.IsHardwareAccelerated ? cn - (cn % Vector<float>.Count) : 0;
        for (int kk = 0; kk < aRow.Length; kk++)
        {
            float av = aRow[kk];
            ReadOnlySpan<float> brow = panel.Slice(kk * cn, cn);
            int j = 0;
            if (vecEnd > 0)
            {
                var va = new Vector<float>(av);
                for (; j < vecEnd; j += Vector<float>.Count)
                {
                    var vb = new Vector<float>(brow[j..]);
                    var vc = new Vector<float>(acc[j..]);
                    Vector.FusedMultiplyAdd(va, vb, vc).CopyTo(acc[j..]);
                }
            }

            for (; j < cn; j++)
            {
                acc[j] = MathF.FusedMultiplyAdd(av, brow[j], acc[j]);
            }
        }
    }

    /// <summary>
    /// MlasSgemmKernelM1Avx: c[j] (+)= Σ_k a[k]·b[k·ldb + j] with separately rounded products and adds (AVX, no FMA).
    /// k is consumed in groups of 4 while ≥ 4 remain, then one group of 2 if K mod 4 ≥ 2, then 1 if K is odd. Each
    /// group computes t = ((p0 + p1) + p2) + p3 and stores c = t + c_prev, where c_prev is +0 for the first group when
    /// beta = 0 and the current C otherwise.
    /// </summary>
    public static void KernelM1(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int ldb, float beta)
    {
        int vectorN = Avx512F.IsSupported && k > 0 ? n & ~15 : 0;
        if (vectorN > 0)
        {
            KernelM1Vector(a, b, c, k, vectorN, ldb, beta);
        }

        if (vectorN < n)
        {
            KernelM1Scalar(a, b[vectorN..], c[vectorN..], k, n - vectorN, ldb, beta);
        }
    }

    /// <summary>
    /// <see cref="KernelM1"/> for the first <paramref name="n"/> (a multiple of 16) columns, 16 per vector: the same
    /// separately rounded multiplies and adds per lane (explicit MULPS/ADDPS, never fused).
    /// </summary>
    private static void KernelM1Vector(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int ldb, float beta)
    {
        ref float br = ref MemoryMarshal.GetReference(b);
        if ((long)(k - 1) * ldb + n > b.Length || c.Length < n || a.Length < k)
        {
            throw new ArgumentException("B, A or C is shorter than K, N and ldb require");
        }

        for (int j = 0; j < n; j += 16)
        {
            Span<float> cj = c.Slice(j, 16);
            Vector512<float> cv = beta != 0f ? Vector512.Create<float>(cj) : Vector512<float>.Zero;
            int kk = 0;
            while (k - kk >= 4)
            {
                Vector512<float> t = Avx512F.Multiply(Vector512.Create(a[kk]), Vector512.LoadUnsafe(ref br, (nuint)((kk * ldb) + j)));
                t = Avx512F.Add(t, Avx512F.Multiply(Vector512.Create(a[kk + 1]), Vector512.LoadUnsafe(ref br, (nuint)(((kk + 1) * ldb) + j))));
                t = Avx512F.Add(t, Avx512F.Multiply(Vector512.Create(a[kk + 2]), Vector512.LoadUnsafe(ref br, (nuint)(((kk + 2) * ldb) + j))));
                t = Avx512F.Add(t, Avx512F.Multiply(Vector512.Create(a[kk + 3]), Vector512.LoadUnsafe(ref br, (nuint)(((kk + 3) * ldb) + j))));
                cv = Avx512F.Add(t, cv);
                kk += 4;
            }

            if ((k & 2) != 0)
            {
                Vector512<float> t = Avx512F.Multiply(Vector512.Create(a[kk]), Vector512.LoadUnsafe(ref br, (nuint)((kk * ldb) + j)));
                t = Avx512F.Add(t, Avx512F.Multiply(Vector512.Create(a[kk + 1]), Vector512.LoadUnsafe(ref br, (nuint)(((kk + 1) * ldb) + j))));
                cv = Avx512F.Add(t, cv);
                kk += 2;
            }

            if ((k & 1) != 0)
            {
                cv = Avx512F.Add(Avx512F.Multiply(Vector512.Create(a[kk]), Vector512.LoadUnsafe(ref br, (nuint)((kk * ldb) + j))), cv);
            }

            cv.CopyTo(cj);
        }
    }

    private static void KernelM1Scalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int ldb, float beta)
    {
        bool accumulate = beta != 0f;
        int kk = 0;
        while (k - kk >= 4)
        {
            for (int j = 0; j < n; j++)
            {
                float t = a[kk] * b[(kk * ldb) + j];
                t += a[kk + 1] * b[((kk + 1) * ldb) + j];
                t += a[kk + 2] * b[((kk + 2) * ldb) + j];
                t += a[kk + 3] * b[((kk + 3) * ldb) + j];
                c[j] = t + (accumulate ? c[j] : 0f);
            }

            accumulate = true;
            kk += 4;
        }

        if ((k & 2) != 0)
        {
            for (int j = 0; j < n; j++)
            {
                float t = a[kk] * b[(kk * ldb) + j];
                t += a[kk + 1] * b[((kk + 1) * ldb) + j];
                c[j] = t + (accumulate ? c[j] : 0f);
            }

            accumulate = true;
            kk += 2;
        }

        if ((k & 1) != 0)
        {
            for (int j = 0; j < n; j++)
            {
                c[j] = (a[kk] * b[(kk * ldb) + j]) + (accumulate ? c[j] : 0f);
            }
        }
    }

    /// <summary>
    /// MlasSgemmKernelM1TransposeBAvx: c[j] (+)= dot(a[0..K), b[j·ldb ..]) with 8 lane accumulators (lane l sums the
    /// products of k ≡ l mod 8 in order, each product rounded, then added; a ragged tail adds +0 in unused lanes).
    /// The lanes are reduced in a way that depends on the row's position: rows are taken 4 at a time while ≥ 4 remain
    /// (((l0+l1)+l2)+l3) + (((l4+l5)+l6)+l7); then a pair if N mod 4 ≥ 2: ((l0+l2)+(l4+l6)) + ((l1+l3)+(l5+l7)); then a
    /// single row if N is odd: ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)). Finally c = sum + (beta = 0 ? +0 : c).
    /// </summary>
    public static void KernelM1TransposeB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int k, int n, int ldb, float beta)
    {
        Span<float> lanes = stackalloc float[8];
        int row = 0;
        int remaining = n;
        while (remaining >= 4)
        {
            for (int r = 0; r < 4; r++)
            {
                Lanes(a, b.Slice((row + r) * ldb), k, lanes);
                float lo = ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
                float hi = ((lanes[4] + lanes[5]) + lanes[6]) + lanes[7];
                c[row + r] = (lo + hi) + (beta == 0f ? 0f : c[row + r]);
            }

            row += 4;
            remaining -= 4;
        }

        if ((remaining & 2) != 0)
        {
            for (int r = 0; r < 2; r++)
            {
                Lanes(a, b.Slice((row + r) * ldb), k, lanes);
                float even = (lanes[0] + lanes[2]) + (lanes[4] + lanes[6]);
                float odd = (lanes[1] + lanes[3]) + (lanes[5] + lanes[7]);
                c[row + r] = (even + odd) + (beta == 0f ? 0f : c[row + r]);
            }

            row += 2;
        }

        if ((remaining & 1) != 0)
        {
            Lanes(a, b.Slice(row * ldb), k, lanes);
            float lo = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            float hi = (lanes[4] + lanes[5]) + (lanes[6] + lanes[7]);
            c[row] = (lo + hi) + (beta == 0f ? 0f : c[row]);
        }
    }

    private static void Lanes(ReadOnlySpan<float> a, ReadOnlySpan<float> bRow, int k, Span<float> lanes)
    {
        lanes.Clear();
        int kk = 0;
        for (; kk + 8 <= k; kk += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                lanes[l] += a[kk + l] * bRow[kk + l];
            }
        }

        if (kk < k)
        {
            // vmaskmovps loads +0 into the unused lanes, so they add +0·+0.
            for (int l = 0; l < 8; l++)
            {
                lanes[l] += kk + l < k ? a[kk + l] * bRow[kk + l] : 0f;
            }
        }
    }
}
