using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The fp32 requantization step shared by every integer kernel (MLAS MlasRequantizeOutput, quantize.cpp; see
/// ort-cpu-semantics.md §2 QLinearConv step 3).
/// </summary>
public static class Requantizer
{
    /// <summary>
    /// Requantizes one int32 accumulator: <c>v = float(acc) · scale</c> (int32→fp32 rounds to nearest even, then one
    /// fp32 multiply), <c>v</c> clamped to <c>[qmin − zp, qmax − zp]</c> in fp32, rounded half to even, plus
    /// <paramref name="zeroPoint"/>. The clamp uses maxps/minps operand order, so a NaN product becomes the lower bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Requantize(int acc, float scale, int zeroPoint, int qmin, int qmax)
    {
        float v = acc * scale;
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        // maxps(v, lo) returns lo when either is NaN; minps(v, hi) likewise returns hi.
        v = v > lo ? v : lo;
        v = v < hi ? v : hi;
        return (int)MathF.Round(v, MidpointRounding.ToEven) + zeroPoint;
    }

    /// <summary>
    /// Requantizes into the element type <typeparamref name="T"/> (uint8 or int8): the bounds are T's range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Requantize<T>(int acc, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        T.CreateTruncating(Requantize(acc, scale, zeroPoint, QMin<T>(), QMax<T>()));

    /// <summary>The smallest code of <typeparamref name="T"/> as an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QMin<T>()
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => int.CreateTruncating(T.MinValue);

    /// <summary>The largest code of <typeparamref name="T"/> as an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QMax<T>()
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => int.CreateTruncating(T.MaxValue);

    /// <summary>
    /// x86 cvtps2dq under the default MXCSR: round half to even; NaN and values outside int32 give int.MinValue
    /// (the "integer indefinite" value). Kernels that round without clamping first (QLinearAdd/Mul) need this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConvertToInt32x86(float v)
    {
        float r = MathF.Round(v, MidpointRounding.ToEven);
        return r >= -2147483648f && r < 2147483648f ? (int)r : int.MinValue;
    }

    /// <summary>packssdw then packuswb/packsswb: saturate an int32 to int16, then to <typeparamref name="T"/>'s range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SaturateViaInt16<T>(int v)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int s16 = Math.Clamp(v, short.MinValue, short.MaxValue);
        return T.CreateTruncating(Math.Clamp(s16, QMin<T>(), QMax<T>()));
    }
}
