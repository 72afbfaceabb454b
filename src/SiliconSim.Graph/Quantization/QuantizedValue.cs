namespace SiliconSim.Graph.Quantization;

/// <summary>ORT's QuantizedValue: where the quantized form of a tensor lives and which scale / zero point it uses.</summary>
internal sealed record QuantizedValue(string Original, string QName, string ScaleName, string ZeroPointName, int? Axis = null);
