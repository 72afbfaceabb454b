namespace SiliconSim.Graph.Quantization;

/// <summary>How activation ranges are taken from the calibration data (ORT's <c>CalibrationMethod</c>).</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen over every calibration batch (ORT's MinMaxCalibrater).</summary>
    MinMax,
}
