using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QGemm as ORT computes it (contrib_ops/cpu/quantization/quant_gemm.cc; ort-cpu-semantics.md §2):
/// Y = alpha · A' · B' with A' = dequant(A) (transA), B' = dequant(B) (transB), C an int32 bias in the accumulator.
/// </summary>
public static class QGemm
{
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

        int kStride = IntGemm.PaddedK(k);
        var packedA = new short[m * kStride];
        var packedB = new short[n * kStride];
        QuantizedMatMulCore.PackRows(a, m, k, transA, [aZeroPoint], kStride, packedA);
        // B' [K, N] read column-wise is transB == false; a [N, K] B is already row-per-column.
        QuantizedMatMulCore.PackRows(b, n, k, !transB, bZeroPoints, kStride, packedB);
        var acc = new int[m * n];
        IntGemm.MultiplyTransposed(packedA, packedB, acc, m, n, kStride, n);
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
