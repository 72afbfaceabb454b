namespace SiliconSim.Numerics;

/// <summary>Float-to-integer rounding as the x86 CPU kernels of ONNX Runtime perform it.</summary>
public static class Rounding
{
    /// <summary>Rounds to the nearest integer-valued float, ties to even (std::nearbyint with the default mode).</summary>
    public static float NearestEven(float value) => MathF.Round(value, MidpointRounding.ToEven);

    /// <summary>
    /// x86 <c>cvtps2dq</c> under the default MXCSR: round to nearest even, and any NaN or result outside int32 gives the
    /// "integer indefinite" value int.MinValue (0x80000000). MLAS's QuantizeLinear uses this after clamping.
    /// </summary>
    public static int ToInt32NearestEven(float value)
    {
        float r = MathF.Round(value, MidpointRounding.ToEven);
        // 2^31 is the first float outside int32; anything at or above it (or NaN, which fails both tests) is indefinite.
        return r >= -2147483648f && r < 2147483648f ? (int)r : int.MinValue;
    }

    /// <summary>ORT's RoundHalfToEven (util/qmath.h): non-finite values pass through, finite ones round half to even.</summary>
    public static float HalfToEvenPassNonFinite(float value) => float.IsFinite(value) ? NearestEven(value) : value;
}
