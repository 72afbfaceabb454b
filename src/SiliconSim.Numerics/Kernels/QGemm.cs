using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QGemm as ORT computes it (contrib_ops/cpu/quantization/quant_gemm.cc; ort-cpu-semantics.md §2):
/// Y = alpha · A' · B' with A' = dequant(A) (transA), B' = dequant(B) (transB), C an int32 bias in the accumulator.
/// </summary>
public static class QGemm
{
    // Below this many output columns per thread, one thread is cheaper than dispatching.
    private const int MinColumnsPerThread = 64;

    /// <summary>
    /// Exact wrapping int32 <c>acc[i, j] = C[i|0, j|0] + Σ_t (a[i, t] − a_zp)(b[t, j] − b_zp[j])</c>, where
    /// <paramref name="a"/> is [M, K] ([K, M] when <paramref name="transA"/>) and <paramref name="b"/> is [K, N]
    /// ([N, K] when <paramref name="transB"/>). <paramref name="c"/> is empty or a [cRows, cCols] matrix with
    /// cRows ∈ {1, M} and cCols ∈ {1, N}, broadcast to [M, N].
    /// </summary>
    public static int[] Accumulate<TA, TB>(
        ReadOnlySpan<TA> a,
        int aZeroPoint,
        bool transA,
        ReadOnlySpan<TB> b,
        ReadOnlySpan<int> bZeroPoints,
        bool transB,
        int m,
        int k,
        int n,
        ReadOnlySpan<int> c,
        int cRows,
        int cCols)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        if (a.Length != m * k || b.Length != k * n)
        {
            throw new ArgumentException($"A holds {a.Length} and B {b.Length} values, expected {m * k} and {k * n}");
        }

        QuantizedMatMulCore.CheckZeroPoints(bZeroPoints, n, "B zero point");
        if (!c.IsEmpty && ((cRows != 1 && cRows != m) || (cCols != 1 && cCols != n) || c.Length != cRows * cCols))
        {
            throw new ArgumentException($"C [{cRows},{cCols}] does not broadcast to [{m},{n}]");
        }

        return Accumulate(a, aZeroPoint, transA, PackB(b, bZeroPoints, transB, k, n), m, c, cRows, cCols, Parallelism.Single);
    }

    /// <summary>
    /// B packed once (issue 18: a constant B is packed once per model, as MLAS packs it): its N columns as int16 rows
    /// <c>b − b_zp[j]</c> of the padded K stride <see cref="IntGemm"/> reads.
    /// </summary>
    public static PackedGemmB PackB<TB>(ReadOnlySpan<TB> b, ReadOnlySpan<int> bZeroPoints, bool transB, int k, int n)
        where TB : unmanaged, IBinaryInteger<TB>
    {
        if (b.Length != k * n)
        {
            throw new ArgumentException($"B holds {b.Length} values, expected {k * n}");
        }

        QuantizedMatMulCore.CheckZeroPoints(bZeroPoints, n, "B zero point");
        int kStride = IntGemm.PaddedK(k);
        var packed = new short[n * kStride];
        // B' [K, N] read column-wise is transB == false; a [N, K] B is already row-per-column.
        QuantizedMatMulCore.PackRows(b, n, k, !transB, bZeroPoints, kStride, packed);
        var result = new PackedGemmB(packed, k, n, kStride, transB, bZeroPoints.ToArray(), typeof(TB));
        if (U8S8Gemm.IsAccelerated && Unsafe.SizeOf<TB>() == 1)
        {
            PackU8S8(b, bZeroPoints, transB, k, n, result);
        }

        return result;
    }

    // 8-bit B for vpdpbusd as well: column j's K values as s8 (u8 codes flipped: b − 128, zero point − 128) in quads,
    // zero-padded to whole 32-byte vectors, with its column sum Σ b' and adjusted zero point.
    private static void PackU8S8<TB>(ReadOnlySpan<TB> b, ReadOnlySpan<int> bZeroPoints, bool transB, int k, int n, PackedGemmB packed)
        where TB : unmanaged, IBinaryInteger<TB>
    {
        bool unsigned = !TB.IsNegative(TB.CreateTruncating(-1));
        int kBytes = ((k + 31) / 32) * 32;
        var columns = new byte[n * kBytes];
        var sums = new int[n];
        var zeroPoints = new int[n];
        for (int j = 0; j < n; j++)
        {
            int sum = 0;
            for (int t = 0; t < k; t++)
            {
                int v = int.CreateTruncating(transB ? b[(j * k) + t] : b[(t * n) + j]) - (unsigned ? 128 : 0);
                columns[(j * kBytes) + t] = (byte)v;
                sum += v;
            }

            sums[j] = sum;
            zeroPoints[j] = bZeroPoints[bZeroPoints.Length == 1 ? 0 : j] - (unsigned ? 128 : 0);
        }

        packed.SetU8S8(columns, kBytes, sums, zeroPoints);
    }

    /// <summary>
    /// <see cref="Accumulate{TA, TB}"/> with B packed beforehand, its N columns split over up to
    /// <paramref name="parallelism"/>'s threads (each writes its own output columns; integer sums are exact).
    /// </summary>
    public static int[] Accumulate<TA>(
        ReadOnlySpan<TA> a,
        int aZeroPoint,
        bool transA,
        PackedGemmB b,
        int m,
        ReadOnlySpan<int> c,
        int cRows,
        int cCols,
        Parallelism parallelism)
        where TA : unmanaged, IBinaryInteger<TA>
    {
        ArgumentNullException.ThrowIfNull(b);
        int k = b.K, n = b.N, kStride = b.KStride;
        if (a.Length != m * k)
        {
            throw new ArgumentException($"A holds {a.Length} values, expected {m * k}");
        }

        if (!c.IsEmpty && ((cRows != 1 && cRows != m) || (cCols != 1 && cCols != n) || c.Length != cRows * cCols))
        {
            throw new ArgumentException($"C [{cRows},{cCols}] does not broadcast to [{m},{n}]");
        }

        var acc = new int[m * n];
        if (b.U8S8Columns is byte[] && Unsafe.SizeOf<TA>() == 1)
        {
            AccumulateU8S8(a, aZeroPoint, transA, b, m, acc, parallelism);
        }
        else
        {
            var packedA = new short[m * kStride];
            QuantizedMatMulCore.PackRows(a, m, k, transA, [aZeroPoint], kStride, packedA);
            short[] packedB = b.Rows;
            parallelism.ForRanges(n, (j0, j1) => IntGemm.MultiplyTransposed(
                packedA, packedB.AsSpan(j0 * kStride, (j1 - j0) * kStride), acc.AsSpan(j0, ((m - 1) * n) + (j1 - j0)), m, j1 - j0, kStride, n), MinColumnsPerThread);
        }

        if (!c.IsEmpty)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    int cv = c[((cRows == 1 ? 0 : i) * cCols) + (cCols == 1 ? 0 : j)];
                    acc[(i * n) + j] = unchecked(acc[(i * n) + j] + cv);
                }
            }
        }

        return acc;
    }

    // The u8s8 route: A's rows as u8 (s8 codes flipped: a + 128, zero point + 128) zero-padded like B's columns, and per
    // output Σ (a − a_zp)(b − b_zp[j]) = Σ a'b' − b_zp'[j]·Σ a' − a_zp'·Σ b'[j] + K·a_zp'·b_zp'[j] in wrapping int32
    // (vpdpbusd forms the u8·s8 products exactly; the result is the same integer as the int16 route's).
    private static void AccumulateU8S8<TA>(ReadOnlySpan<TA> a, int aZeroPoint, bool transA, PackedGemmB b, int m, int[] acc, Parallelism parallelism)
        where TA : unmanaged, IBinaryInteger<TA>
    {
        int k = b.K, n = b.N, kBytes = b.U8S8Stride;
        bool signed = TA.IsNegative(TA.CreateTruncating(-1));
        int az = aZeroPoint + (signed ? 128 : 0);
        var rows = new byte[m * kBytes];
        var init = new int[m];
        for (int i = 0; i < m; i++)
        {
            int sum = 0;
            for (int t = 0; t < k; t++)
            {
                int v = int.CreateTruncating(transA ? a[(t * m) + i] : a[(i * k) + t]) + (signed ? 128 : 0);
                rows[(i * kBytes) + t] = (byte)v;
                sum += v;
            }

            init[i] = sum;
        }

        parallelism.ForRanges(n, (j0, j1) => DotColumns(rows, init, az, b, m, j0, j1, acc), MinColumnsPerThread);
    }

    // Columns j0..j1−1 of every row: four columns at a time share each 32-byte load of the A row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotColumns(byte[] rows, int[] rowSums, int az, PackedGemmB b, int m, int j0, int j1, int[] acc)
    {
        int k = b.K, n = b.N, kBytes = b.U8S8Stride;
        byte[] columns = b.U8S8Columns!;
        int[] colSums = b.U8S8Sums, bz = b.U8S8ZeroPoints;
        ref byte rc = ref MemoryMarshal.GetArrayDataReference(columns);
        for (int i = 0; i < m; i++)
        {
            ref byte ra = ref MemoryMarshal.GetArrayDataReference(rows);
            ra = ref Unsafe.Add(ref ra, i * kBytes);
            int j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                ref byte c0 = ref Unsafe.Add(ref rc, j * kBytes);
                Vector256<int> s0 = Vector256<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int t = 0; t < kBytes; t += 32)
                {
                    Vector256<byte> av = Vector256.LoadUnsafe(ref ra, (nuint)t);
                    s0 = AvxVnni.MultiplyWideningAndAdd(s0, av, Vector256.LoadUnsafe(ref c0, (nuint)t).AsSByte());
                    s1 = AvxVnni.MultiplyWideningAndAdd(s1, av, Vector256.LoadUnsafe(ref c0, (nuint)(kBytes + t)).AsSByte());
                    s2 = AvxVnni.MultiplyWideningAndAdd(s2, av, Vector256.LoadUnsafe(ref c0, (nuint)((2 * kBytes) + t)).AsSByte());
                    s3 = AvxVnni.MultiplyWideningAndAdd(s3, av, Vector256.LoadUnsafe(ref c0, (nuint)((3 * kBytes) + t)).AsSByte());
                }

                acc[(i * n) + j] = Corrected(Vector256.Sum(s0), rowSums[i], az, colSums[j], bz[j], k);
                acc[(i * n) + j + 1] = Corrected(Vector256.Sum(s1), rowSums[i], az, colSums[j + 1], bz[j + 1], k);
                acc[(i * n) + j + 2] = Corrected(Vector256.Sum(s2), rowSums[i], az, colSums[j + 2], bz[j + 2], k);
                acc[(i * n) + j + 3] = Corrected(Vector256.Sum(s3), rowSums[i], az, colSums[j + 3], bz[j + 3], k);
            }

            for (; j < j1; j++)
            {
                ref byte c0 = ref Unsafe.Add(ref rc, j * kBytes);
                Vector256<int> s0 = Vector256<int>.Zero;
                for (int t = 0; t < kBytes; t += 32)
                {
                    s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.LoadUnsafe(ref ra, (nuint)t), Vector256.LoadUnsafe(ref c0, (nuint)t).AsSByte());
                }

                acc[(i * n) + j] = Corrected(Vector256.Sum(s0), rowSums[i], az, colSums[j], bz[j], k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Corrected(int dot, int rowSum, int az, int colSum, int bz, int k) =>
        unchecked(dot - (bz * rowSum) - (az * colSum) + (k * az * bz));

    /// <summary>scale[j] = (alpha · a_scale) · b_scale[j], fp32; then divided by y_scale when one is given.</summary>
    public static float[] OutputScales(float alpha, float aScale, ReadOnlySpan<float> bScales, float? yScale, int n)
    {
        if (bScales.Length != 1 && bScales.Length != n)
        {
            throw new ArgumentException($"B scale must have 1 or {n} values, got {bScales.Length}");
        }

        var scales = new float[n];
        float alphaA = alpha * aScale;
        for (int j = 0; j < n; j++)
        {
            float s = alphaA * bScales[bScales.Length == 1 ? 0 : j];
            scales[j] = yScale is float ys ? s / ys : s;
        }

        return scales;
    }

    /// <summary>Quantized output: <c>y = requantize(acc, scale[j], y_zp)</c> (<see cref="Requantizer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Requantize<TY>(ReadOnlySpan<int> acc, ReadOnlySpan<float> scales, int yZeroPoint, Span<TY> y)
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int n = scales.Length;
        int qmin = Requantizer.QMin<TY>();
        int qmax = Requantizer.QMax<TY>();
        for (int p = 0; p < acc.Length; p++)
        {
            y[p] = TY.CreateTruncating(Requantizer.Requantize(acc[p], scales[p % n], yZeroPoint, qmin, qmax));
        }
    }

    /// <summary>Float output: <c>y = float(acc) · scale[j]</c>, one fp32 multiply, no further bias add (§4.6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(ReadOnlySpan<int> acc, ReadOnlySpan<float> scales, Span<float> y)
    {
        int n = scales.Length;
        for (int p = 0; p < acc.Length; p++)
        {
            y[p] = acc[p] * scales[p % n];
        }
    }
}

/// <summary>
/// QGemm's B packed for <see cref="IntGemm"/> (<see cref="QGemm.PackB{TB}"/>): immutable, shared between runs and
/// threads; <see cref="Matches"/> says whether it serves a call with this B layout and these zero points.
/// </summary>
public sealed class PackedGemmB
{
    private readonly int[] _zeroPoints;

    internal PackedGemmB(short[] rows, int k, int n, int kStride, bool transB, int[] zeroPoints, Type elementType)
    {
        Rows = rows;
        K = k;
        N = n;
        KStride = kStride;
        TransB = transB;
        _zeroPoints = zeroPoints;
        ElementType = elementType;
    }

    public int K { get; }

    public int N { get; }

    public bool TransB { get; }

    /// <summary>The code type of the B it was packed from.</summary>
    public Type ElementType { get; }

    internal int KStride { get; }

    internal short[] Rows { get; }

    /// <summary>B's columns as s8 bytes for the u8s8 route (null when it does not run), each padded to the stride.</summary>
    internal byte[]? U8S8Columns { get; private set; }

    internal int U8S8Stride { get; private set; }

    internal int[] U8S8Sums { get; private set; } = [];

    internal int[] U8S8ZeroPoints { get; private set; } = [];

    internal void SetU8S8(byte[] columns, int stride, int[] sums, int[] zeroPoints)
    {
        U8S8Columns = columns;
        U8S8Stride = stride;
        U8S8Sums = sums;
        U8S8ZeroPoints = zeroPoints;
    }

    public bool Matches(int k, int n, bool transB, ReadOnlySpan<int> zeroPoints, Type elementType) =>
        k == K && n == N && transB == TransB && elementType == ElementType && zeroPoints.SequenceEqual(_zeroPoints);
}
