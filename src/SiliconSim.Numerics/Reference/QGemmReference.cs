using System.Numerics;

namespace SiliconSim.Numerics.Reference;

/// <summary>Plain scalar QGemm (ort-cpu-semantics.md §2 QGemm) with transposes read by index.</summary>
public static class QGemmReference
{
    /// <summary>
    /// acc[i, j] = C[i|0, j|0] + Σ_t (A'[i, t] − a_zp)(B'[t, j] − b_zp[j]); scale[j] = (alpha · a_scale) · b_scale[j]
    /// (/ y_scale when quantized). Returns the float output when <paramref name="yScale"/> is null, else the codes.
    /// </summary>
    public static (float[]? Floats, TY[]? Codes) Compute<TA, TB, TY>(
        ReadOnlySpan<TA> a,
        float aScale,
        int aZeroPoint,
        bool transA,
        ReadOnlySpan<TB> b,
        ReadOnlySpan<float> bScales,
        ReadOnlySpan<int> bZeroPoints,
        bool transB,
        int m,
        int k,
        int n,
        ReadOnlySpan<int> c,
        int cRows,
        int cCols,
        float alpha,
        float? yScale,
        int yZeroPoint)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        var floats = yScale is null ? new float[m * n] : null;
        var codes = yScale is null ? null : new TY[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int acc = c.IsEmpty ? 0 : c[((cRows == 1 ? 0 : i) * cCols) + (cCols == 1 ? 0 : j)];
                int bzp = bZeroPoints[bZeroPoints.Length == 1 ? 0 : j];
                for (int t = 0; t < k; t++)
                {
                    int av = int.CreateTruncating(transA ? a[(t * m) + i] : a[(i * k) + t]) - aZeroPoint;
                    int bv = int.CreateTruncating(transB ? b[(j * k) + t] : b[(t * n) + j]) - bzp;
                    acc = unchecked(acc + (av * bv));
                }

                float scale = alpha * aScale;
                scale *= bScales[bScales.Length == 1 ? 0 : j];
                if (yScale is float ys)
                {
                    scale /= ys;
                    codes![(i * n) + j] = RequantizeReference.Requantize<TY>(acc, scale, yZeroPoint);
                }
                else
                {
                    floats![(i * n) + j] = (float)acc * scale;
                }
            }
        }

        return (floats, codes);
    }
}
