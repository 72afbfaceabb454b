namespace SiliconSim.Graph.Quantization;

/// <summary>How activation ranges are taken from the calibration data (ORT's <c>CalibrationMethod</c>).</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen over every calibration batch (ORT's MinMaxCalibrater).</summary>
    MinMax,

    /// <summary>ORT's PercentileCalibrater: a 2048-bin histogram over [-max|x|, max|x|] and the 99.999 % central range.</summary>
    Percentile,

    /// <summary>
    /// ORT's EntropyCalibrater with quantize_static's defaults (128 histogram bins, 128 quantized bins, asymmetric).
    /// With as many quantized bins as histogram bins the KL search in get_entropy_threshold has a single candidate,
    /// the whole histogram [-t, t] (t = max |x|), which is then clamped to the data's [min, max]: the MinMax range.
    /// </summary>
    Entropy,
}
