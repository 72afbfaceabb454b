using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>The quantization parameters of one activation tensor (ORT's QuantizationParams).</summary>
internal sealed record ActivationParams(float Scale, int ZeroPoint, DataType Type);
