namespace SiliconSim.Graph.Quantization;

/// <summary>
/// The op types of ONNX Runtime's quantizer registries (onnxruntime/python/tools/quantization/registry.py, with
/// Flatten added as a direct 8-bit op by ORT PR #28340). The default set of op types to quantize is their union, in
/// both formats, as quantize_static takes it.
/// </summary>
public static class QuantRegistry
{
    /// <summary>QLinearOpsRegistry plus CommonOpsRegistry: the ops the QOperator format knows.</summary>
    public static IReadOnlySet<string> QLinearOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ArgMax", "Conv", "Gemm", "MatMul", "Add", "Mul", "Relu", "Clip", "LeakyRelu", "Sigmoid", "MaxPool",
        "GlobalAveragePool", "Split", "Pad", "Reshape", "Squeeze", "Unsqueeze", "Resize", "AveragePool", "Concat",
        "Softmax", "Where", "Flatten", "Gather", "Transpose", "EmbedLayerNormalization",
    };

    /// <summary>QDQRegistry: the ops with their own QDQ quantizer (others in the op set get QDQOperatorBase).</summary>
    public static IReadOnlySet<string> QdqOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "Gemm", "Clip", "Relu", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Resize",
        "MaxPool", "AveragePool", "Slice", "Pad", "MatMul", "Split", "Gather", "GatherElements", "Where",
        "InstanceNormalization", "LayerNormalization", "BatchNormalization", "Flatten",
    };

    /// <summary>The op types quantize_static quantizes when none are given: the union of both registries.</summary>
    public static IReadOnlySet<string> DefaultOpTypes { get; } = new HashSet<string>(QLinearOps.Concat(QdqOps), StringComparer.Ordinal);

    /// <summary>Ops that ORT's QDQ quantizer handles like a direct 8-bit op (output shares the input's parameters).</summary>
    internal static IReadOnlySet<string> QdqDirect8Bit { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Reshape", "Transpose", "Squeeze", "Unsqueeze", "AveragePool", "Slice", "Flatten", "MaxPool",
    };

    /// <summary>Ops that ORT's QOperator quantizer runs directly on 8-bit data (Direct8BitOp).</summary>
    internal static IReadOnlySet<string> QOpDirect8Bit { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Flatten", "MaxPool",
    };
}
