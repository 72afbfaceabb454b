namespace SiliconSim.Graph.Quantization;

/// <summary>A calibrated activation range (ORT's <c>TensorData(lowest, highest)</c>), in fp32 as ORT keeps it.</summary>
public readonly record struct TensorRange(float Min, float Max);
