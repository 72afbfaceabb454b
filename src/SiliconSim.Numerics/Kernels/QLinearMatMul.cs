using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// The requantization step of <see cref="Compute{TA, TB, TY}"/> when A has one scale: rows of
    /// <c>scales.Length</c> accumulators, column j with <c>scales[j]</c>, each element exactly as
    /// <see cref="Requantizer.Requantize(int, float, int, int, int)"/> (cvtdq2ps, mulps, maxps/minps, cvtps2dq, + zp),
    /// eight at a time where AVX2 runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequantizeColumns<TY>(ReadOnlySpan<int> acc, ReadOnlySpan<float> scales, int yZeroPoint, Span<TY> y)
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int n = scales.Length;
        if (n == 0 || acc.Length % n != 0 || y.Length < acc.Length)
        {
            throw new ArgumentException($"the accumulators ({acc.Length}) must be whole rows of {n} columns and fit the output ({y.Length})");
        }

        int qmin = Requantizer.QMin<TY>(), qmax = Requantizer.QMax<TY>();
        bool vector = Avx2.IsSupported && (typeof(TY) == typeof(byte) || typeof(TY) == typeof(sbyte));
        Vector256<float> lo = Vector256.Create((float)(qmin - yZeroPoint)), hi = Vector256.Create((float)(qmax - yZeroPoint));
        Vector256<int> zp = Vector256.Create(yZeroPoint);
        ref float rs = ref MemoryMarshal.GetReference(scales);
        for (int row = 0; row < acc.Length; row += n)
        {
            ReadOnlySpan<int> a = acc.Slice(row, n);
            Span<TY> o = y.Slice(row, n);
            int j = 0;
            if (vector)
            {
                ref int ra = ref MemoryMarshal.GetReference(a);
                for (; j + 8 <= n; j += 8)
                {
                    Vector256<float> v = Avx.Multiply(Avx.ConvertToVector256Single(Vector256.LoadUnsafe(ref ra, (nuint)j)), Vector256.LoadUnsafe(ref rs, (nuint)j));
                    v = Avx.Min(Avx.Max(v, lo), hi);
                    Vector256<int> q = Avx2.Add(Avx.ConvertToVector256Int32(v), zp);
                    // The codes are inside TY's range, so truncating narrows keep them exactly.
                    Vector128<short> q16 = Vector128.Narrow(q.GetLower(), q.GetUpper());
                    Vector128<byte> q8 = Vector128.Narrow(q16, q16).AsByte();
                    Unsafe.WriteUnaligned(ref Unsafe.As<TY, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(o), j)), q8.AsUInt64().ToScalar());
                }
            }

            for (; j < n; j++)
            {
                o[j] = TY.CreateTruncating(Requantizer.Requantize(a[j], scales[j], yZeroPoint, qmin, qmax));
            }
        }
    }
}
