namespace SiliconSim.Hardware.Specs;

/// <summary>How the array's output path turns an int32 accumulator into a quantized output.</summary>
public enum RequantizerKind
{
    /// <summary>ONNX Runtime's arithmetic: multiply by an fp32 scale, round half to even, add the zero point, saturate.</summary>
    Float32,

    /// <summary>
    /// An int32 multiplier M0 in [0.5, 1) (scaled by 2^31) and a right shift n with M = M0 x 2^-n, as in gemmlowp/TFLite
    /// (Jacob et al., CVPR 2018), which most integer NPUs implement.
    /// </summary>
    FixedPoint,
}
