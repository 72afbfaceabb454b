using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// What ORT's two quantizers share (base_quantizer.py): the op and node filters, the activation parameters from the
/// calibrated ranges (after adjust_tensor_ranges), and the quantization of weights and biases into initializers
/// named as ORT names them.
/// </summary>
internal abstract class QuantizerBase
{
    internal const string QuantSuffix = "_quantized";

    protected QuantizerBase(WorkGraph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options, IReadOnlySet<string> opTypes)
    {
        Graph = graph;
        Options = options;
        OpTypes = opTypes;
        Ranges = new Dictionary<string, TensorRange>(ranges, StringComparer.Ordinal);
        AdjustTensorRanges();
        foreach (var (name, r) in Ranges)
        {
            (int qmin, int qmax) = QuantMath.QRange(options.ActivationType, reduceRange: false, symmetric: false);
            (float s, int z) = QuantMath.ComputeScaleZp(r.Min, r.Max, qmin, qmax, symmetric: false);
            Params[name] = new ActivationParams(s, z, options.ActivationType);
        }
    }

    protected WorkGraph Graph { get; }

    protected QuantizerOptions Options { get; }

    protected IReadOnlySet<string> OpTypes { get; }

    protected Dictionary<string, TensorRange> Ranges { get; }

    protected Dictionary<string, ActivationParams> Params { get; } = new(StringComparer.Ordinal);

    /// <summary>BaseQuantizer.should_quantize_node: in the op set, not Q/DQ, not excluded.</summary>
    protected bool ShouldQuantizeNode(WorkNode node) =>
        OpTypes.Contains(node.OpType) && node.OpType is not ("QuantizeLinear" or "DequantizeLinear") && !Options.NodesToExclude.Contains(node.Name);

    /// <summary>BaseQuantizer.is_weight_symmetric: signed weight types are symmetric.</summary>
    protected static bool IsWeightSymmetric(DataType type) => type is DataType.Int8;

    /// <summary>
    /// BaseQuantizer.adjust_tensor_ranges: a Relu or Clip whose input has no other reader gives that input its output's
    /// range (so the op can be fused away), and a Softmax output is [0, 1].
    /// </summary>
    private void AdjustTensorRanges()
    {
        foreach (WorkNode node in Graph.Nodes)
        {
            if (node.OpType is "Clip" or "Relu")
            {
                if (!ShouldQuantizeNode(node) || Graph.ConsumerCount(node.Inputs[0]) != 1)
                {
                    continue;
                }

                if (Ranges.ContainsKey(node.Inputs[0]) && Ranges.TryGetValue(node.Outputs[0], out var r))
                {
                    Ranges[node.Inputs[0]] = r;
                }
            }
            else if (node.OpType == "Softmax" && ShouldQuantizeNode(node))
            {
                Ranges[node.Outputs[0]] = new TensorRange(0f, 1f);
            }
        }
    }

    /// <summary>quantize_initializer_impl: per-tensor quantization of an initializer into name_quantized, name_scale,
    /// name_zero_point. Symmetric when the type is the weight type and signed, else as activations (asymmetric).</summary>
    protected QuantizedValue QuantizeInitializerImpl(string name, DataType type, bool reduceRange)
    {
        bool symmetric = type == Options.WeightType ? IsWeightSymmetric(type) : false;
        var (q, scales, zps) = QuantMath.QuantizeWeight(Graph.Initializers[name], type, symmetric, Options.ReduceRange && reduceRange, axis: null);
        string qName = name + QuantSuffix, zpName = name + "_zero_point", scaleName = name + "_scale";
        Graph.AddInitializer(scaleName, TensorValue.Create(DataType.Float, [], new[] { scales[0] }));
        Graph.AddInitializer(zpName, QuantMath.ToTensor(type, [], [zps[0]]));
        Graph.AddInitializer(qName, q);
        return new QuantizedValue(name, qName, scaleName, zpName);
    }

    /// <summary>quantize_weight_per_channel_impl: one scale and zero point per slice along <paramref name="axis"/>.</summary>
    protected QuantizedValue QuantizeWeightPerChannelImpl(string name, DataType type, int axis, bool reduceRange)
    {
        TensorValue w = Graph.Initializers[name];
        int rank = w.Rank;
        int norm = axis < 0 ? axis + rank : axis;
        if (norm < 0 || norm >= rank)
        {
            throw new ArgumentException($"weight '{name}' has no channel axis {axis} (rank {rank})");
        }

        var (q, scales, zps) = QuantMath.QuantizeWeight(w, type, IsWeightSymmetric(type), Options.ReduceRange && reduceRange, norm);
        string qName = name + QuantSuffix, zpName = name + "_zero_point", scaleName = name + "_scale";
        Graph.AddInitializer(scaleName, TensorValue.Create(DataType.Float, [scales.Length], scales));
        Graph.AddInitializer(zpName, QuantMath.ToTensor(type, [zps.Length], zps));
        Graph.AddInitializer(qName, q);
        return new QuantizedValue(name, qName, scaleName, zpName, norm);
    }

    /// <summary>quantize_bias_static_impl: name_quantized (int32), name_quantized_scale (fp32, one per weight scale,
    /// shape [n]) and name_quantized_zero_point (int32 zeros; a scalar when there is one scale).</summary>
    protected QuantizedValue QuantizeBiasImpl(string biasName, float inputScale, float[] weightScales, float beta)
    {
        TensorValue bias = Graph.Initializers[biasName];
        var (q, scales) = QuantMath.QuantizeBias(bias.Items<float>(), inputScale, weightScales, beta);
        string qName = biasName + QuantSuffix, scaleName = qName + "_scale", zpName = qName + "_zero_point";
        Graph.AddInitializer(qName, TensorValue.Create(DataType.Int32, bias.Shape.AsSpan(), q));
        Graph.AddInitializer(scaleName, TensorValue.Create(DataType.Float, [scales.Length], scales));
        Graph.AddInitializer(zpName, scales.Length > 1 ? TensorValue.Create(DataType.Int32, [scales.Length], new int[scales.Length]) : TensorValue.Create(DataType.Int32, [], new int[1]));
        return new QuantizedValue(biasName, qName, scaleName, zpName, scales.Length > 1 ? 0 : null);
    }

    /// <summary>The fp32 scale values of initializer <paramref name="name"/>.</summary>
    protected float[] ScaleValues(string name) => Graph.Initializers[name].Items<float>();
}
