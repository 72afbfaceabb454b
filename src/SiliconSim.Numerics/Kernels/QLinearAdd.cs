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
        // Every output element lies in exactly one span, so a recycled array is fully overwritten.
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
    /// <see cref="Compute{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, float, int, ReadOnlySpan{T}, ReadOnlySpan{int}, float, int, float, int, out int[])"/>
    /// on up to <paramref name="parallelism"/>'s threads when A and B have the same shape (one span, a CNN's residual
    /// add): the span is cut into ranges, each computed with the whole span's per-element form, so the bits do not
    /// depend on the threads. Other shapes run on one thread.
    /// </summary>
    public static T[] Compute<T>(
        T[] a,
        int[] aShape,
        float aScale,
        int aZeroPoint,
        T[] b,
        int[] bShape,
        float bScale,
        int bZeroPoint,
        float cScale,
        int cZeroPoint,
        Parallelism parallelism,
        out int[] outputShape)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n = a.Length;
        if (!parallelism.IsParallel || n < 2 * MinElementsPerThread || !aShape.AsSpan().SequenceEqual(bShape) || b.Length != n)
        {
            return Compute<T>(a, aShape, aScale, aZeroPoint, b, bShape, bScale, bZeroPoint, cScale, cZeroPoint, out outputShape);
        }

        outputShape = [.. aShape];
        T[] c = TensorArena.Allocate<T>(n);
        // Each range holds at least MinElementsPerThread elements, so it takes the whole span's full-length form.
        parallelism.ForRanges(
            n,
            (start, end) => Span<T>(a.AsSpan(start, end - start), aScale, aZeroPoint, b.AsSpan(start, end - start), bScale, bZeroPoint, cScale, cZeroPoint, c.AsSpan(start, end - start), isScalarB: false),
            MinElementsPerThread);
        return c;
    }

    // Below this many elements per thread, adding on one thread is cheaper than dispatching.
    private const int MinElementsPerThread = 32 * 1024;

    /// <summary>
    /// One MLAS call (MlasQLinearAdd → MlasQLinearAdd{U8,S8}KernelAvx2 with LengthA = N, LengthB = 1 or N):
    /// <c>rA = sA / sC</c>, <c>rB = sB / sC</c>, <c>fixed = float(zC) − fma(rA, zA, rB·zB)</c> (GCC contracts the
    /// source's a·b + c·d). If LengthA == 1 (note: also when N == 1): <c>f = fma(a, rA, fixed)</c>,
    /// <c>t = fma(b, rB, f)</c>. Else if B is scalar: <c>f = fma(b, rB, fixed)</c>, <c>t = fma(a, rA, f)</c>.
    /// Else <c>t = fma(a, rA, fma(b, rB, fixed))</c>. The scalar folds are written as a separate multiply and add in
    /// the source, but the compiler contracts them to one FMA too: the separate form mismatched ORT 1.31 (4 of 7 k
    /// broadcast outputs), the fused form matches.
    /// a and b are the raw codes. Output: cvtps2dq (half to even), then saturating packs via int16 to T.
    /// 32 elements a step where AVX2 and FMA run (<see cref="SpanVector{T}"/>); spans shorter than that through
    /// <see cref="SpanScalar{T}"/>, the reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        // The rest goes through the reference from where the vectors stopped, in the whole span's form: a one-element
        // rest must not take the LengthA == 1 form, since the MLAS call is the whole span's.
        int done = SpanVector(a, aScale, aZeroPoint, b, bScale, bZeroPoint, cScale, cZeroPoint, c, isScalarB);
        ScalarFrom(a, aScale, aZeroPoint, b, bScale, bZeroPoint, cScale, cZeroPoint, c, isScalarB, done);
    }

    /// <summary>The scalar reference of <see cref="Span{T}"/>: one element at a time, exactly the steps described there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        ScalarFrom(a, aScale, aZeroPoint, b, bScale, bZeroPoint, cScale, cZeroPoint, c, isScalarB, start: 0);

    // Elements start..n−1 of the span, one at a time, in the form the whole span's length selects.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarFrom<T>(
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
        int start)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int n = c.Length;
        int lengthA = n;
        int lengthB = isScalarB ? 1 : n;
        float rA = aScale / cScale;
        float rB = bScale / cScale;
        float fixedPart = cZeroPoint - MathF.FusedMultiplyAdd(rA, aZeroPoint, rB * bZeroPoint);
        if (lengthA == 1)
        {
            float f = MathF.FusedMultiplyAdd(int.CreateTruncating(a[0]), rA, fixedPart);
            for (int i = 0; i < lengthB; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(b[i]), rB, f);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
        else if (lengthB == 1)
        {
            float f = MathF.FusedMultiplyAdd(int.CreateTruncating(b[0]), rB, fixedPart);
            for (int i = start; i < lengthA; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, f);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
        else
        {
            for (int i = start; i < n; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(b[i]), rB, fixedPart);
                t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, t);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
    }

    /// <summary>
    /// The full-length and scalar-B forms of <see cref="Span{T}"/> (LengthA = n &gt; 1), 32 elements per step: codes
    /// widened exactly to int32 and float, the same two FMAs per lane (vfmadd), cvtps2dq, then a clamp to T's range in
    /// int32 (equal to packssdw followed by packuswb/packsswb, since T's range lies inside int16's) and truncating narrows.
    /// Returns how many leading elements it wrote (0 without AVX2 and FMA).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SpanVector<T>(
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
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        const int Step = 32;
        int n = c.Length;
        if (!Avx2.IsSupported || !Fma.IsSupported || n < Step || !(typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte))
            || a.Length < n || (!isScalarB && b.Length < n) || b.IsEmpty)
        {
            return 0;
        }

        float rA = aScale / cScale;
        float rB = bScale / cScale;
        float fixedPart = cZeroPoint - MathF.FusedMultiplyAdd(rA, aZeroPoint, rB * bZeroPoint);
        Vector256<float> va = Vector256.Create(rA), vb = Vector256.Create(rB), vfixed = Vector256.Create(fixedPart);
        Vector256<float> vf = Vector256.Create(MathF.FusedMultiplyAdd(int.CreateTruncating(b[0]), rB, fixedPart));
        Vector256<int> lo = Vector256.Create(Requantizer.QMin<T>()), hi = Vector256.Create(Requantizer.QMax<T>());
        ref byte ra = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(a));
        ref byte rb = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(b));
        ref byte rc = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(c));
        int i = 0;
        for (; i + Step <= n; i += Step)
        {
            Vector256<int> r0 = Lanes<T>(ref ra, ref rb, i, va, vb, vfixed, vf, isScalarB, lo, hi);
            Vector256<int> r1 = Lanes<T>(ref ra, ref rb, i + 8, va, vb, vfixed, vf, isScalarB, lo, hi);
            Vector256<int> r2 = Lanes<T>(ref ra, ref rb, i + 16, va, vb, vfixed, vf, isScalarB, lo, hi);
            Vector256<int> r3 = Lanes<T>(ref ra, ref rb, i + 24, va, vb, vfixed, vf, isScalarB, lo, hi);
            Vector256.Narrow(Vector256.Narrow(r0, r1), Vector256.Narrow(r2, r3)).AsByte().StoreUnsafe(ref rc, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Lanes<T>(ref byte a, ref byte b, int at, Vector256<float> rA, Vector256<float> rB, Vector256<float> fixedPart, Vector256<float> scalarB, bool isScalarB, Vector256<int> lo, Vector256<int> hi)
    {
        Vector256<float> t = isScalarB ? scalarB : Fma.MultiplyAdd(Codes<T>(ref b, at), rB, fixedPart);
        t = Fma.MultiplyAdd(Codes<T>(ref a, at), rA, t);
        return Avx2.Min(Avx2.Max(Avx.ConvertToVector256Int32(t), lo), hi);
    }

    // Eight codes at p + at, widened exactly to fp32 (zero- or sign-extended by T).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Codes<T>(ref byte p, int at)
    {
        Vector128<byte> raw = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, at))).AsByte();
        Vector256<int> wide = typeof(T) == typeof(byte) ? Avx2.ConvertToVector256Int32(raw) : Avx2.ConvertToVector256Int32(raw.AsSByte());
        return Avx.ConvertToVector256Single(wide);
    }
}
