using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// The options of <see cref="StaticQuantizer"/>, named after ONNX Runtime's <c>quantize_static</c> arguments and with
/// its defaults (reduce_range off, asymmetric activations, symmetric signed weights).
/// </summary>
public sealed record QuantizerOptions
{
    /// <summary>QDQ or QOperator output.</summary>
    public QuantFormat Format { get; init; } = QuantFormat.Qdq;

    /// <summary>The activation type: <see cref="DataType.UInt8"/> or <see cref="DataType.Int8"/>.</summary>
    public DataType ActivationType { get; init; } = DataType.UInt8;

    /// <summary>The weight type: <see cref="DataType.Int8"/> or <see cref="DataType.UInt8"/>.</summary>
    public DataType WeightType { get; init; } = DataType.Int8;

    /// <summary>Per-channel weight scales (Conv axis 0, Gemm the output axis, MatMul axis 1).</summary>
    public bool PerChannel { get; init; }

    /// <summary>ORT's reduce_range: 7-bit weights. Off by default, as in ORT.</summary>
    public bool ReduceRange { get; init; }

    /// <summary>How activation ranges are calibrated.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.MinMax;

    /// <summary>The op types to quantize; null means ORT's default, every op either registry knows.</summary>
    public IReadOnlyCollection<string>? OpTypesToQuantize { get; init; }

    /// <summary>Node names left in float.</summary>
    public IReadOnlyCollection<string> NodesToExclude { get; init; } = [];
}
