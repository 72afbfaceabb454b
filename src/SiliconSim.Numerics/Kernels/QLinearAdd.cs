using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QLinearAdd as ORT's x86-64 CPU provider computes it: MLAS qladd_avx2.cpp driven span by span by
/// <see cref="OrtBinaryBroadcast"/> (contrib_ops/cpu/quantization/qlinear_binary_op.cc). ort-cpu-semantics.md §2.
/// </summary>
public static class QLinearAdd
{
    /// <summary>
    /// C = A + B on quantized codes with numpy broadcasting. Per span ORT calls the MLAS kernel with the streaming input
    /// first; when input 0 is the scalar one the operands are swapped (B := input 0). See <see cref="Span{T}"/>.
    /// </summary>
    public static T[] Compute<T>(
        ReadOnlySpan<T> a,
        ReadOnlySpan<int> aShape,
        float aScale,
        int aZeroPoint,
        ReadOnlySpan<T> b,
        ReadOnlySpan<int> bShape,
        float bScale,
        int bZeroPoint,
        float cScale,
        int cZeroPoint,
        out int[] outputShape)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var plan = new OrtBinaryBroadcast(aShape, bShape);
        outputShape = plan.OutputShape;
        // The spans cover the whole output.
        T[] c = TensorArena.Allocate<T>(plan.OutputLength);
        int span = plan.SpanSize;
        foreach ((int o0, int o1, int oc) in plan.Spans())
        {
            Span<T> dst = c.AsSpan(oc, span);
            if (plan.Input0Scalar)
            {
                Span(b.Slice(o1, span), bScale, bZeroPoint, a.Slice(o0, 1), aScale, aZeroPoint, cScale, cZeroPoint, dst, isScalarB: true);
            }
            else if (plan.Input1Scalar)
            {
                Span(a.Slice(o0, span), aScale, aZeroPoint, b.Slice(o1, 1), bScale, bZeroPoint, cScale, cZeroPoint, dst, isScalarB: true);
            }
            else
            {
                Span(a.Slice(o0, span), aScale, aZeroPoint, b.Slice(o1, span), bScale, bZeroPoint, cScale, cZeroPoint, dst, isScalarB: false);
            }
        }

        return c;
    }

    /// <summary>
    /// One MLAS call (MlasQLinearAdd → MlasQLinearAdd{U8,S8}KernelAvx2 with LengthA = N, LengthB = 1 or N):
    /// <c>rA = sA / sC</c>, <c>rB = sB / sC</c>, <c>fixed = float(zC) − fma(rA, zA, rB·zB)</c> (GCC contracts the
    /// source's a·b + c·d). If LengthA == 1 (note: also when N == 1): <c>f = fma(a, rA, fixed)</c>,
    /// <c>t = fma(b, rB, f)</c>. Else if B is scalar: <c>f = fma(b, rB, fixed)</c>, <c>t = fma(a, rA, f)</c>.
    /// Else <c>t = fma(a, rA, fma(b, rB, fixed))</c>. The scalar folds are written as a separate multiply and add in
    /// the source, but the compiler contracts them to one FMA too: the separate form mismatched ORT 1.31 (4 of 7 k
    /// broadcast outputs), the fused form matches.
    /// a and b are the raw codes. Output: cvtps2dq (half to even), then saturating packs via int16 to T.
    /// </summary>
    public static void Span<T>(
        ReadOnlySpan<T> a,
        float aScale,
        int aZeroPoint,
        ReadOnlySpan<T> b,
        float bScale,
        int bZeroPoint,
        float cScale,
        int cZeroPoint,
        Span<T> c,
        bool isScalarB)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        SpanCore(a, aScale, aZeroPoint, b, bScale, bZeroPoint, cScale, cZeroPoint, c, isScalarB, vector: true);

    /// <summary>The scalar reference of <see cref="Span{T}"/>: one element at a time.</summary>
    public static void SpanScalar<T>(
        ReadOnlySpan<T> a,
        float aScale,
        int aZeroPoint,
        ReadOnlySpan<T> b,
        float bScale,
        int bZeroPoint,
        float cScale,
        int cZeroPoint,
        Span<T> c,
        bool isScalarB)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        SpanCore(a, aScale, aZeroPoint, b, bScale, bZeroPoint, cScale, cZeroPoint, c, isScalarB, vector: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SpanCore<T>(
        ReadOnlySpan<T> a,
        float aScale,
        int aZeroPoint,
        ReadOnlySpan<T> b,
        float bScale,
        int bZeroPoint,
        float cScale,
        int cZeroPoint,
        Span<T> c,
        bool isScalarB,
        bool vector)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int n = c.Length;
        int lengthA = n;
        int lengthB = isScalarB ? 1 : n;
        float rA = aScale / cScale;
        float rB = bScale / cScale;
        float fixedPart = cZeroPoint - MathF.FusedMultiplyAdd(rA, aZeroPoint, rB * bZeroPoint);
        // Eight lanes at a time where FMA and AVX2 run: the same fused steps per element, then cvtps2dq and a clamp to
        // T's range (saturating through int16 to a range inside int16 is that clamp); the scalar loops finish the tail.
        int done = !vector || lengthA == 1 || lengthB == 1 ? 0 : VectorBoth(a, rA, b, rB, fixedPart, c);
        if (lengthA == 1)
        {
            float f = MathF.FusedMultiplyAdd(int.CreateTruncating(a[0]), rA, fixedPart);
            done = !vector || lengthB == 1 ? 0 : VectorScalar(b, rB, f, c);
            for (int i = done; i < lengthB; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(b[i]), rB, f);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
        else if (lengthB == 1)
        {
            float f = MathF.FusedMultiplyAdd(int.CreateTruncating(b[0]), rB, fixedPart);
            for (int i = vector ? VectorScalar(a, rA, f, c) : 0; i < lengthA; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, f);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
        else
        {
            for (int i = done; i < n; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(b[i]), rB, fixedPart);
                t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, t);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
    }

    // t = fma(a, rA, fma(b, rB, fixed)) for whole groups of eight; returns how many elements it wrote.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int VectorBoth<T>(ReadOnlySpan<T> a, float rA, ReadOnlySpan<T> b, float rB, float fixedPart, Span<T> c)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (!Fma.IsSupported || !Avx2.IsSupported || (typeof(T) != typeof(byte) && typeof(T) != typeof(sbyte)))
        {
            return 0;
        }

        Vector256<float> va = Vector256.Create(rA), vb = Vector256.Create(rB), vf = Vector256.Create(fixedPart);
        int i = 0;
        for (; i + 8 <= c.Length; i += 8)
        {
            Vector256<float> t = Fma.MultiplyAdd(Widen(b, i), vb, vf);
            t = Fma.MultiplyAdd(Widen(a, i), va, t);
            Store(Avx.ConvertToVector256Int32(t), c, i);
        }

        return i;
    }

    // t = fma(x, r, f) for whole groups of eight; returns how many elements it wrote.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int VectorScalar<T>(ReadOnlySpan<T> x, float r, float f, Span<T> c)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (!Fma.IsSupported || !Avx2.IsSupported || (typeof(T) != typeof(byte) && typeof(T) != typeof(sbyte)))
        {
            return 0;
        }

        Vector256<float> vr = Vector256.Create(r), vf = Vector256.Create(f);
        int i = 0;
        for (; i + 8 <= c.Length; i += 8)
        {
            Store(Avx.ConvertToVector256Int32(Fma.MultiplyAdd(Widen(x, i), vr, vf)), c, i);
        }

        return i;
    }

    // Eight codes from index i as fp32 (zero- or sign-extended).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen<T>(ReadOnlySpan<T> x, int i)
        where T : unmanaged
    {
        ulong bytes = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(x), i)));
        Vector256<int> v = typeof(T) == typeof(byte)
            ? Avx2.ConvertToVector256Int32(Vector128.CreateScalar(bytes).AsByte())
            : Avx2.ConvertToVector256Int32(Vector128.CreateScalar(bytes).AsSByte());
        return Avx.ConvertToVector256Single(v);
    }

    // cvtps2dq results (int.MinValue for NaN and overflow, as ConvertToInt32x86) clamped to T's range and stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<int> v, Span<T> c, int i)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        v = Vector256.Clamp(v, Vector256.Create(Requantizer.QMin<T>()), Vector256.Create(Requantizer.QMax<T>()));
        Vector128<short> v16 = Vector128.Narrow(v.GetLower(), v.GetUpper());
        Vector128<byte> v8 = Vector128.Narrow(v16, v16).AsByte();
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i)), v8.AsUInt64().ToScalar());
    }
}
