using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QLinearMul as ORT's x86-64 CPU provider computes it: MLAS qlmul.cpp (SSE2 path) driven span by span
/// by <see cref="OrtBinaryBroadcast"/>. ort-cpu-semantics.md §2.
/// </summary>
public static class QLinearMul
{
    /// <summary>C = A · B on quantized codes with numpy broadcasting; see <see cref="Span{T}"/> for the arithmetic.</summary>
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
    /// One MLAS call: <c>ratio = (sA · sB) / sC</c> fp32 left to right; <c>p = (a − zA)(b − zB)</c> exact int32 (int16
    /// mullo/mulhi); <c>v = float(p) · ratio + float(zC)</c>, two separately rounded fp32 operations (SSE2, no FMA);
    /// cvtps2dq (half to even), then saturating packs via int16 to T.
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
        float ratio = aScale * bScale;
        ratio /= cScale;
        float zc = cZeroPoint;
        for (int i = 0; i < c.Length; i++)
        {
            int pa = int.CreateTruncating(a[i]) - aZeroPoint;
            int pb = int.CreateTruncating(b[isScalarB ? 0 : i]) - bZeroPoint;
            float v = (pa * pb) * ratio;
            v += zc;
            c[i] = Requantizer.SaturateViaInt16<T>(Requantizer.ConvertToInt32x86(v));
        }
    }
}
