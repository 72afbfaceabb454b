using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The exact int32 product of MatMulInteger and QLinearMatMul (<see cref="MatMulInteger.Compute{TA, TB}"/> is its
/// scalar reference) on the u8 × s8 vpdpbusd GEMM (<see cref="U8S8Gemm"/>), for any code types: A's codes move to s8
/// (a − 128 for uint8) and B's to u8 (b + 128 for int8), and the zero points move with them, so every
/// <c>(a − a_zp)(b − b_zp)</c> is unchanged. The GEMM sums the raw products <c>Σ a_s·b_u</c> and the zero points come
/// back as rank-one terms: <c>− b_zp[j]·Σ_t a_s[i, t] − a_zp·Σ_t b_u[t, j] + K·a_zp·b_zp[j]</c>. Integer addition wraps
/// associatively, so the result is the same modular sum whatever the order (issue 18: B constant is packed once per
/// model, rows of A split over threads with the same bits).
/// </summary>
public static class U8S8MatMul
{
    // Below this many multiply-adds per thread, one thread is cheaper than dispatching.
    private const int MinMacsPerThread = 256 * 1024;

    /// <summary>Whether the vpdpbusd path runs on this machine; callers take <see cref="MatMulInteger"/> otherwise.</summary>
    public static bool IsAccelerated => U8S8Gemm.IsAccelerated;

    /// <summary>
    /// Packs <paramref name="batches"/> matrices B [K, N] (int8 or uint8 codes) as the GEMM's u8 quads, N padded to
    /// <see cref="U8S8Gemm.ColumnBlock"/> and K to 4 with zeros, with each column's code sum.
    /// </summary>
    public static PackedMatMulB PackB<TB>(ReadOnlySpan<TB> b, int batches, int k, int n)
        where TB : unmanaged, IBinaryInteger<TB>
    {
        if (typeof(TB) != typeof(byte) && typeof(TB) != typeof(sbyte))
        {
            throw new ArgumentException($"B must hold 8-bit codes, not {typeof(TB).Name}");
        }

        if (b.Length != batches * k * n)
        {
            throw new ArgumentException($"B holds {b.Length} values, expected {batches * k * n}");
        }

        int kq = (k + 3) / 4;
        int ldb = RoundUp(n, U8S8Gemm.ColumnBlock);
        byte shift = typeof(TB) == typeof(sbyte) ? (byte)0x80 : (byte)0;
        ReadOnlySpan<byte> codes = MemoryMarshal.AsBytes(b);
        var packed = new byte[batches * kq * ldb * 4];
        var sums = new int[batches * n];
        for (int bi = 0; bi < batches; bi++)
        {
            ReadOnlySpan<byte> src = codes.Slice(bi * k * n, k * n);
            Span<byte> dst = packed.AsSpan(bi * kq * ldb * 4, kq * ldb * 4);
            Span<int> colSums = sums.AsSpan(bi * n, n);
            for (int t = 0; t < k; t++)
            {
                int q = t / 4, e = t % 4;
                for (int j = 0; j < n; j++)
                {
                    byte u = (byte)(src[(t * n) + j] ^ shift);
                    dst[(((q * ldb) + j) * 4) + e] = u;
                    colSums[j] += u;
                }
            }
        }

        return new PackedMatMulB(packed, sums, batches, k, n, kq, ldb, typeof(TB));
    }

    /// <summary>
    /// <c>y[b, i, j] = Σ_t (a[b', i, t] − a_zp)(b[b'', t, j] − b_zp[j])</c>, exact wrapping int32, for
    /// <paramref name="shape"/> (broadcast batches as <see cref="MatMulShape.SourceIndex"/> maps them);
    /// <paramref name="bZeroPoints"/> has 1 or N values. Row blocks of every batch are split over
    /// <paramref name="parallelism"/>'s threads, each writing its own rows.
    /// </summary>
    public static void Accumulate<TA>(ReadOnlySpan<TA> a, int aZeroPoint, PackedMatMulB b, ReadOnlySpan<int> bZeroPoints, MatMulShape shape, int[] y, Parallelism parallelism)
        where TA : unmanaged, IBinaryInteger<TA> =>
        Accumulate(a, aZeroPoint, b, bZeroPoints, shape, y, parallelism, MinMacsPerThread);

    /// <summary>The product with a chosen split threshold: tests pass 1 so that small products cross threads.</summary>
    internal static void Accumulate<TA>(ReadOnlySpan<TA> a, int aZeroPoint, PackedMatMulB b, ReadOnlySpan<int> bZeroPoints, MatMulShape shape, int[] y, Parallelism parallelism, int minMacsPerThread)
        where TA : unmanaged, IBinaryInteger<TA>
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(y);
        if (typeof(TA) != typeof(byte) && typeof(TA) != typeof(sbyte))
        {
            throw new ArgumentException($"A must hold 8-bit codes, not {typeof(TA).Name}");
        }

        int m = shape.M, k = shape.K, n = shape.N;
        int aCount = Product(shape.ABatchShape), bCount = Product(shape.BBatchShape);
        if (k != b.K || n != b.N || bCount != b.Batches)
        {
            throw new ArgumentException($"B was packed as {b.Batches} x [{b.K}, {b.N}], the product needs {bCount} x [{k}, {n}]");
        }

        if (a.Length != aCount * m * k || y.Length != shape.BatchCount * m * n)
        {
            throw new ArgumentException("A or the output does not match the matmul shape");
        }

        QuantizedMatMulCore.CheckZeroPoints(bZeroPoints, n, "B zero point");

        // A as s8 rows of K quads (the GEMM's weights operand), zero-padded to whole quads and row blocks.
        int kq = b.Kq, mPad = RoundUp(m, U8S8Gemm.RowBlock);
        byte aShift = typeof(TA) == typeof(byte) ? (byte)0x80 : (byte)0;
        int aZeroPointS8 = typeof(TA) == typeof(byte) ? aZeroPoint - 128 : aZeroPoint;
        ReadOnlySpan<byte> aCodes = MemoryMarshal.AsBytes(a);
        // The call's scratch comes from the shared pool (issue 18: a transformer runs a dozen of these per inference, and
        // fresh arrays cost more in collections than the products they feed). Pooled arrays may be longer and stale:
        // every length below is explicit, and what the GEMM reads as padding is cleared.
        int[] w = ArrayPool<int>.Shared.Rent(Math.Max(1, aCount * mPad * kq));
        int[] rowSums = ArrayPool<int>.Shared.Rent(Math.Max(1, aCount * mPad));
        int[] bZeroPointsU8 = ArrayPool<int>.Shared.Rent(Math.Max(1, n));
        int[] colTerms = ArrayPool<int>.Shared.Rent(Math.Max(1, b.Batches * n));
        int[] init = ArrayPool<int>.Shared.Rent(mPad);
        try
        {
            Array.Clear(w, 0, aCount * mPad * kq);
            Array.Clear(rowSums, 0, aCount * mPad);
            Array.Clear(init, 0, mPad);
            Span<byte> wBytes = MemoryMarshal.AsBytes(w.AsSpan(0, aCount * mPad * kq));
            for (int ai = 0; ai < aCount; ai++)
            {
                for (int i = 0; i < m; i++)
                {
                    int row = (ai * mPad) + i;
                    rowSums[row] = PackRow(aCodes.Slice(((ai * m) + i) * k, k), aShift, wBytes.Slice(row * kq * 4, k));
                }
            }

            // The column terms, B's zero points in its u8 form: − a_zp·Σ_t b_u[t, j] + K·a_zp·b_zp[j], and b_zp[j] for the row term.
            int bShift = b.ElementType == typeof(sbyte) ? 128 : 0;
            for (int j = 0; j < n; j++)
            {
                bZeroPointsU8[j] = bZeroPoints[bZeroPoints.Length == 1 ? 0 : j] + bShift;
            }

            for (int bi = 0; bi < b.Batches; bi++)
            {
                for (int j = 0; j < n; j++)
                {
                    colTerms[(bi * n) + j] = unchecked((-aZeroPointS8 * b.ColumnSums[(bi * n) + j]) + (k * aZeroPointS8 * bZeroPointsU8[j]));
                }
            }

            int blocks = mPad / U8S8Gemm.RowBlock;
            bool direct = m % U8S8Gemm.RowBlock == 0 && n % U8S8Gemm.ColumnBlock == 0;
            int macsPerBlock = Math.Max(1, U8S8Gemm.RowBlock * kq * 4 * b.Ldb);
            var work = new RowBlockWork(w, rowSums, colTerms, bZeroPointsU8, init, b.Bytes, shape, kq, b.Ldb, mPad, direct, y);
            parallelism.ForRanges(shape.BatchCount * blocks, work.Run, Math.Max(1, minMacsPerThread / macsPerBlock));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(w);
            ArrayPool<int>.Shared.Return(rowSums);
            ArrayPool<int>.Shared.Return(bZeroPointsU8);
            ArrayPool<int>.Shared.Return(colTerms);
            ArrayPool<int>.Shared.Return(init);
        }
    }

    // Copies one row of A's codes as s8 (xor 0x80 turns u8 v into the s8 v − 128) and returns their sum.
    private static int PackRow(ReadOnlySpan<byte> src, byte shift, Span<byte> dst)
    {
        int sum = 0;
        for (int t = 0; t < src.Length; t++)
        {
            byte s = (byte)(src[t] ^ shift);
            dst[t] = s;
            sum += (sbyte)s;
        }

        return sum;
    }

    private static int RoundUp(int v, int to) => (v + to - 1) / to * to;

    private static int Product(int[] dims)
    {
        int p = 1;
        foreach (int d in dims)
        {
            p *= d;
        }

        return p;
    }

    private sealed class RowBlockWork(int[] w, int[] rowSums, int[] colTerms, int[] bZeroPointsU8, int[] init, byte[] packedB, MatMulShape shape, int kq, int ldb, int mPad, bool direct, int[] output)
    {
        public void Run(int first, int end)
        {
            int blocks = mPad / U8S8Gemm.RowBlock;
            // A ragged product lands in a padded scratch of this range's rows, then its real part is copied out.
            int[]? scratch = direct ? null : ArrayPool<int>.Shared.Rent(Math.Min(end - first, blocks) * U8S8Gemm.RowBlock * ldb);
            try
            {
                RunBlocks(first, end, scratch);
            }
            finally
            {
                if (scratch is not null)
                {
                    ArrayPool<int>.Shared.Return(scratch);
                }
            }
        }

        private void RunBlocks(int first, int end, int[]? scratch)
        {
            int m = shape.M, n = shape.N;
            int blocks = mPad / U8S8Gemm.RowBlock;
            int nPad = RoundUp(n, U8S8Gemm.ColumnBlock);
            for (int p = first; p < end;)
            {
                int batch = p / blocks, b0 = p % blocks;
                int b1 = Math.Min(blocks, b0 + (end - p));
                int ai = shape.SourceIndex(batch, forA: true), bj = shape.SourceIndex(batch, forA: false);
                int r0 = b0 * U8S8Gemm.RowBlock, rows = (b1 - b0) * U8S8Gemm.RowBlock;
                ReadOnlySpan<int> wRows = w.AsSpan(((ai * mPad) + r0) * kq, rows * kq);
                ReadOnlySpan<byte> bPanel = packedB.AsSpan(bj * kq * ldb * 4, kq * ldb * 4);
                Span<int> yBatch = output.AsSpan(batch * m * n, m * n);
                if (direct)
                {
                    U8S8Gemm.Multiply(wRows, bPanel, init, yBatch[(r0 * n)..], rows, n, kq, ldb, n);
                }
                else
                {
                    U8S8Gemm.Multiply(wRows, bPanel, init, scratch!, rows, nPad, kq, ldb, ldb);
                    for (int i = r0; i < Math.Min(m, r0 + rows); i++)
                    {
                        scratch!.AsSpan((i - r0) * ldb, n).CopyTo(yBatch.Slice(i * n, n));
                    }
                }

                for (int i = r0; i < Math.Min(m, r0 + rows); i++)
                {
                    AddTerms(yBatch.Slice(i * n, n), colTerms.AsSpan(bj * n, n), bZeroPointsU8, rowSums[(ai * mPad) + i]);
                }

                p += b1 - b0;
            }
        }
    }

    // row[j] += colTerms[j] − b_zp[j]·rowSum, wrapping.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTerms(Span<int> row, ReadOnlySpan<int> colTerms, ReadOnlySpan<int> bZeroPoints, int rowSum)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> s = Vector256.Create(-rowSum);
            ref int r = ref MemoryMarshal.GetReference(row);
            ref int c = ref MemoryMarshal.GetReference(colTerms);
            ref int z = ref MemoryMarshal.GetReference(bZeroPoints);
            for (; j + 8 <= row.Length; j += 8)
            {
                Vector256<int> v = Vector256.LoadUnsafe(ref r, (nuint)j) + Vector256.LoadUnsafe(ref c, (nuint)j) + (Vector256.LoadUnsafe(ref z, (nuint)j) * s);
                v.StoreUnsafe(ref r, (nuint)j);
            }
        }

        for (; j < row.Length; j++)
        {
            row[j] = unchecked(row[j] + colTerms[j] - (bZeroPoints[j] * rowSum));
        }
    }
}

/// <summary>
/// B of <see cref="U8S8MatMul"/> packed once (a constant B once per model, as MLAS pre-packs it): immutable and shared
/// between runs and threads.
/// </summary>
public sealed class PackedMatMulB
{
    internal PackedMatMulB(byte[] bytes, int[] columnSums, int batches, int k, int n, int kq, int ldb, Type elementType)
    {
        Bytes = bytes;
        ColumnSums = columnSums;
        Batches = batches;
        K = k;
        N = n;
        Kq = kq;
        Ldb = ldb;
        ElementType = elementType;
    }

    /// <summary>How many [K, N] matrices (B's batch dimensions flattened).</summary>
    public int Batches { get; }

    public int K { get; }

    public int N { get; }

    /// <summary>The code type of the B it was packed from.</summary>
    public Type ElementType { get; }

    internal int Kq { get; }

    internal int Ldb { get; }

    internal byte[] Bytes { get; }

    internal int[] ColumnSums { get; }
}
