namespace SiliconSim.Numerics.Kernels;

/// <summary>How a matrix unit's output path turns an accumulator into a quantized output code.</summary>
public enum RequantizerArithmetic
{
    /// <summary>ONNX Runtime's: <c>float(acc) · scale</c> in fp32, clamp, round half to even, plus the zero point (<see cref="Requantizer"/>).</summary>
    Float32,

    /// <summary>
    /// gemmlowp/TFLite's integer-only path: an int32 multiplier M0 in [2^30, 2^31) and a shift with
    /// M ≈ M0 · 2^(shift − 31) (<see cref="FixedPointRequantizer"/>).
    /// </summary>
    FixedPoint,
}
