using System.Numerics;
using System.Runtime.CompilerServices;

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
        var c = new T[plan.OutputLength];
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
            for (int i = 0; i < lengthA; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, f);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                float t = MathF.FusedMultiplyAdd(int.CreateTruncating(b[i]), rB, fixedPart);
                t = MathF.FusedMultiplyAdd(int.CreateTruncating(a[i]), rA, t);
                c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(t));
            }
        }
    }
}
