using System.Numerics;
using System.Runtime.CompilerServices;

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
        return new PackedGemmB(packed, k, n, kStride, transB, bZeroPoints.ToArray(), typeof(TB));
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

        var packedA = new short[m * kStride];
        QuantizedMatMulCore.PackRows(a, m, k, transA, [aZeroPoint], kStride, packedA);
        var acc = new int[m * n];
        short[] packedB = b.Rows;
        parallelism.ForRanges(n, (j0, j1) => IntGemm.MultiplyTransposed(
            packedA, packedB.AsSpan(j0 * kStride, (j1 - j0) * kStride), acc.AsSpan(j0, ((m - 1) * n) + (j1 - j0)), m, j1 - j0, kStride, n), MinColumnsPerThread);
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

    public bool Matches(int k, int n, bool transB, ReadOnlySpan<int> zeroPoints, Type elementType) =>
        k == K && n == N && transB == TransB && elementType == ElementType && zeroPoints.SequenceEqual(_zeroPoints);
}
