namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX DynamicQuantizeLinear (uint8) as ORT's CPU provider computes it (dynamicquantizelinear.cc and
/// GetQuantizationParameter in util/qmath.h): min = min(0, min x), max = max(0, max x); scale = (max − min) / 255 in
/// fp32, or exactly 1 when max == min (an all-zero input gives scale 1 and zero point 0, where the ONNX formula would
/// divide by zero); zp = round-half-even(clamp(0 − min / scale, 0, 255)); y = QuantizeLinear(x, scale, zp) with MLAS's
/// arithmetic. NaN elements are skipped by the min/max scan and quantize to 0; ±Inf and overflowing ranges give an
/// infinite scale (matched against ORT on such inputs; ORT's vectorised min/max could in principle order NaNs
/// differently in other lane positions).
/// </summary>
public static class DynamicQuantizeLinear
{
    /// <summary>Returns (y uint8, y_scale float scalar, y_zero_point uint8 scalar).</summary>
    public static (TensorValue Y, TensorValue Scale, TensorValue ZeroPoint) Run(TensorValue x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Type != DataType.Float)
        {
            throw new ArgumentException($"DynamicQuantizeLinear takes float input, not {DataTypeInfo.Name(x.Type)}");
        }

        float[] xs = x.Items<float>();
        (float scale, byte zp) = Parameters(xs);
        var y = new byte[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            y[i] = (byte)QuantizeLinear.QuantizeOne(xs[i], scale, zp, 0, 255);
        }

        return (TensorValue.Create(DataType.UInt8, x.Shape.AsSpan(), y), TensorValue.Scalar(DataType.Float, scale), TensorValue.Scalar(DataType.UInt8, zp));
    }

    /// <summary>The scale and zero point ORT derives from <paramref name="xs"/>.</summary>
    public static (float Scale, byte ZeroPoint) Parameters(ReadOnlySpan<float> xs)
    {
        float min = 0f;
        float max = 0f;
        foreach (float v in xs)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        float scale = max == min ? 1f : (max - min) / 255f;
        float initial = 0f - (min / scale);
        // std::min(255, initial) then std::max(0, ·): both return their first argument unless the second compares
        // strictly on the right side, so a NaN initial value becomes 255, then stays.
        float clamped = initial < 255f ? initial : 255f;
        clamped = 0f < clamped ? clamped : 0f;
        return (scale, (byte)Rounding.HalfToEvenPassNonFinite(clamped));
    }
}
