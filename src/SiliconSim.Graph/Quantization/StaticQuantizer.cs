using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// Static post-training quantization with the structure and arithmetic of ONNX Runtime's <c>quantize_static</c>
/// (onnxruntime/python/tools/quantization): MinMax, Percentile or (default) Entropy calibration over the given batches, activation scales and zero
/// points from compute_scale_zp, symmetric int8 weights, int32 biases with scale input_scale * weight_scale, and the
/// QDQ or QOperator graph ORT's registries produce. The result keeps ORT's tensor and node names.
/// </summary>
public static class StaticQuantizer
{
    /// <summary>Calibrates <paramref name="fp32"/> on <paramref name="calibrationBatches"/> and quantizes it.</summary>
    /// <param name="fp32">The float model (as imported; not lowered).</param>
    /// <param name="calibrationBatches">Feeds for every runtime input, one dictionary per batch (ORT's data reader).</param>
    /// <param name="options">Format, types, granularity.</param>
    public static ModelGraph Quantize(ModelGraph fp32, IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> calibrationBatches, QuantizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(options);
        var ranges = Calibrate(fp32, calibrationBatches, options);
        return Quantize(fp32, ranges, options);
    }

    /// <summary>The calibrated range of every tensor ORT would calibrate for <paramref name="options"/>.</summary>
    public static IReadOnlyDictionary<string, TensorRange> Calibrate(ModelGraph fp32, IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> calibrationBatches, QuantizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Calibration switch
        {
            CalibrationMethod.MinMax or CalibrationMethod.Entropy => Calibrator.MinMax(fp32, calibrationBatches, OpTypes(options)),
            CalibrationMethod.Percentile => PercentileCalibrator.Ranges(fp32, calibrationBatches, OpTypes(options)),
            _ => throw new NotSupportedException($"calibration method {options.Calibration} is not supported"),
        };
    }

    /// <summary>Quantizes with given activation ranges (as ORT's quantizer does after calibration).</summary>
    public static ModelGraph Quantize(ModelGraph fp32, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ActivationType is not (DataType.UInt8 or DataType.Int8) || options.WeightType is not (DataType.UInt8 or DataType.Int8))
        {
            throw new NotSupportedException("activations and weights quantize to uint8 or int8");
        }

        var graph = new WorkGraph(fp32);
        var opTypes = OpTypes(options);
        return options.Format switch
        {
            QuantFormat.Qdq => new QdqQuantizer(graph, ranges, options, opTypes).Quantize(),
            QuantFormat.QOperator => new QOperatorQuantizer(graph, ranges, options, opTypes).Quantize(),
            _ => throw new NotSupportedException($"format {options.Format}"),
        };
    }

    private static IReadOnlySet<string> OpTypes(QuantizerOptions options) =>
        options.OpTypesToQuantize is { Count: > 0 } types ? new HashSet<string>(types, StringComparer.Ordinal) : QuantRegistry.DefaultOpTypes;
}
