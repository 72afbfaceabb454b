using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>ONNX QLinearMatMul as ORT computes it (quantize_linear_matmul.cc; ort-cpu-semantics.md §2).</summary>
public static class QLinearMatMul
{
    /// <summary>
    /// acc as in <see cref="MatMulInteger.Compute{TA, TB}"/>, then
    /// <c>y = requantize(acc, (a_scale[i] · b_scale[j]) / y_scale, y_zp)</c> with the scale in fp32 left to right.
    /// A's scale/zero point have 1 or M values, B's 1 or N.
    /// </summary>
    public static void Compute<TA, TB, TY>(
        ReadOnlySpan<TA> a,
        ReadOnlySpan<float> aScales,
        ReadOnlySpan<int> aZeroPoints,
        ReadOnlySpan<TB> b,
        ReadOnlySpan<float> bScales,
        ReadOnlySpan<int> bZeroPoints,
        float yScale,
        int yZeroPoint,
        MatMulShape shape,
        Span<TY> y)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int m = shape.M, n = shape.N;
        if (aScales.Length != 1 && aScales.Length != m)
        {
            throw new ArgumentException($"A scale must have 1 or {m} values");
        }

        if (bScales.Length != 1 && bScales.Length != n)
        {
            throw new ArgumentException($"B scale must have 1 or {n} values");
        }

        var acc = new int[y.Length];
        MatMulInteger.Compute(a, aZeroPoints, b, bZeroPoints, shape, acc);
        var scales = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = aScales[aScales.Length == 1 ? 0 : i] * bScales[bScales.Length == 1 ? 0 : j];
                scales[(i * n) + j] = s / yScale;
            }
        }

        int qmin = Requantizer.QMin<TY>();
        int qmax = Requantizer.QMax<TY>();
        for (int p = 0; p < acc.Length; p++)
        {
            y[p] = TY.CreateTruncating(Requantizer.Requantize(acc[p], scales[p % scales.Length], yZeroPoint, qmin, qmax));
        }
    }
}
