using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// ORT's QDQQuantizer (qdq_quantizer.py) with the QDQ op quantizers of operators/*.py: op quantizers mark tensors,
/// then Q/DQ pairs are inserted for marked activations, DQ nodes for quantized weights, parameter-sharing outputs
/// (Transpose, MaxPool, ...) take their input's scale and zero point, and biases become int32 with a DQ.
/// </summary>
internal sealed class QdqQuantizer : QuantizerBase
{
    private readonly Dictionary<string, TensorInfo> _toQuantize = new(StringComparer.Ordinal);
    private readonly List<string> _toQuantizeOrder = [];
    private readonly Dictionary<string, BiasInfo> _biases = new(StringComparer.Ordinal);
    private readonly List<string> _biasOrder = [];
    private readonly Dictionary<string, QuantizedValue> _quantized = new(StringComparer.Ordinal);
    private readonly List<WorkNode> _toRemove = [];

    public QdqQuantizer(WorkGraph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options, IReadOnlySet<string> opTypes)
        : base(graph, ranges, options, opTypes)
    {
    }

    private enum Kind
    {
        Activation,
        Weight,
    }

    public ModelGraph Quantize()
    {
        foreach (WorkNode node in Graph.Nodes.ToList())
        {
            if (ShouldQuantizeNode(node))
            {
                QuantizeNode(node);
            }
        }

        QuantizeNormalTensors();
        QuantizeSharingTensors();
        QuantizeBiases();
        foreach (WorkNode n in _toRemove)
        {
            Graph.Nodes.Remove(n);
        }

        return Graph.Build(Graph.Nodes, "onnx.quantize");
    }

    private void QuantizeNode(WorkNode node)
    {
        switch (node.OpType)
        {
            case "Conv" or "ConvTranspose":
                MarkActivation(node.Inputs[0]);
                MarkActivation(node.Outputs[0]);
                MarkWeight(node.Inputs[1], node.OpType == "Conv" ? 0 : 1);
                if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                {
                    MarkBias(node, node.Inputs[2], 1f);
                }

                break;
            case "Gemm":
                MarkActivation(node.Inputs[0]);
                MarkActivation(node.Outputs[0]);
                MarkWeight(node.Inputs[1], node.IntAttribute("transB", 0) != 0 ? 0 : 1);
                if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && Graph.IsInitializer(node.Inputs[2]))
                {
                    MarkBias(node, node.Inputs[2], node.FloatAttribute("beta", 1f));
                }

                break;
            case "MatMul":
                foreach (string t in node.Inputs.Concat(node.Outputs))
                {
                    if (Graph.IsInitializer(t))
                    {
                        MarkWeight(t, 1);
                    }
                    else
                    {
                        MarkActivation(t);
                    }
                }

                break;
            case "Relu" or "Clip":
                // QDQRemovableActivation: drop the op when its producer's output can take its (adjusted) range.
                if (!IsMarked(node.Inputs[0]))
                {
                    return;
                }

                if (TryReplacingUpstreamOutput(node.Inputs[0], node.Outputs[0]))
                {
                    _toRemove.Add(node);
                }
                else
                {
                    MarkActivation(node.Inputs[0]);
                }

                MarkActivation(node.Outputs[0]);
                break;
            case "Gather" or "GatherElements":
                if (Graph.IsInitializer(node.Inputs[0]) && Graph.IsFloat(node.Inputs[0]))
                {
                    MarkActivation(node.Inputs[0]);
                    MarkShared(node.Outputs[0], node.Inputs[0], node.Name);
                }
                else if (IsMarked(node.Inputs[0]))
                {
                    MarkShared(node.Outputs[0], node.Inputs[0], node.Name);
                }

                break;
            case "InstanceNormalization" or "LayerNormalization" or "BatchNormalization":
                MarkActivation(node.Inputs[0]);
                if (Graph.IsInitializer(node.Inputs[1]))
                {
                    // is_tensor_per_channel(default_axis=1): a 1-D scale has no axis 1, so it stays per tensor.
                    int rank = Graph.Initializers[node.Inputs[1]].Rank;
                    MarkWeight(node.Inputs[1], rank > 1 ? 1 : null);
                }
                else
                {
                    MarkActivation(node.Inputs[1]);
                }

                if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                {
                    MarkBias(node, node.Inputs[2], 1f);
                }

                foreach (string o in node.Outputs)
                {
                    MarkActivation(o);
                }

                break;
            case "Resize" or "Split" or "Pad" or "Where":
                throw new NotSupportedException($"the QDQ quantizer does not implement ORT's {node.OpType} rule yet (node '{node.Name}'); exclude the op type or the node");
            default:
                if (QuantRegistry.QdqDirect8Bit.Contains(node.OpType))
                {
                    // QDQDirect8BitOp (and QDQMaxPool): the output shares the input's parameters when the input is quantized.
                    if (IsMarked(node.Inputs[0]))
                    {
                        MarkShared(node.Outputs[0], node.Inputs[0], node.Name);
                    }

                    break;
                }

                // QDQOperatorBase: every input and output as an activation.
                foreach (string t in node.Inputs)
                {
                    MarkActivation(t);
                }

                foreach (string t in node.Outputs)
                {
                    MarkActivation(t);
                }

                break;
        }
    }

    private bool IsMarked(string tensor) => _toQuantize.ContainsKey(tensor) || _biases.ContainsKey(tensor);

    private void Mark(string tensor, TensorInfo info, bool overwrite)
    {
        if (tensor.Length == 0 || !Graph.IsFloat(tensor))
        {
            return;
        }

        if (_toQuantize.ContainsKey(tensor))
        {
            if (overwrite)
            {
                _toQuantize[tensor] = info;
            }

            return;
        }

        _toQuantize[tensor] = info;
        _toQuantizeOrder.Add(tensor);
    }

    private void MarkActivation(string tensor) => Mark(tensor, new TensorInfo(Kind.Activation, null, null, null), overwrite: false);

    private void MarkShared(string tensor, string providerInput, string providerNode) => Mark(tensor, new TensorInfo(Kind.Activation, null, providerInput, providerNode), overwrite: true);

    /// <summary>A weight, per channel along <paramref name="channelAxis"/> when per-channel quantization is on.</summary>
    private void MarkWeight(string tensor, int? channelAxis)
    {
        if (Options.PerChannel && channelAxis is int axis && Graph.IsInitializer(tensor))
        {
            int rank = Graph.Initializers[tensor].Rank;
            if (axis < rank)
            {
                Mark(tensor, new TensorInfo(Kind.Weight, axis, null, null), overwrite: true);
                return;
            }
        }

        Mark(tensor, new TensorInfo(Kind.Weight, null, null, null), overwrite: false);
    }

    private void MarkBias(WorkNode node, string bias, float beta)
    {
        if (Graph.IsInitializer(bias) && Graph.IsFloat(bias) && !_biases.ContainsKey(bias))
        {
            _biases[bias] = new BiasInfo(node.Name, node.Inputs[0], node.Inputs[1], beta);
            _biasOrder.Add(bias);
        }
    }

    /// <summary>qdq_quantizer.try_replacing_upstream_output: the producer writes the activation's output directly.</summary>
    private bool TryReplacingUpstreamOutput(string upstream, string output)
    {
        if (Params.ContainsKey(output) && Params.ContainsKey(upstream) && Graph.ConsumerCount(upstream) == 1 && !Graph.IsGraphOutput(upstream) && !Graph.IsGraphInput(upstream))
        {
            Graph.ReplaceOutputOfAllNodes(upstream, output);
            if (_toQuantize.Remove(upstream))
            {
                _toQuantizeOrder.Remove(upstream);
            }

            return true;
        }

        return false;
    }

    private void QuantizeNormalTensors()
    {
        foreach (string name in _toQuantizeOrder.ToList())
        {
            TensorInfo info = _toQuantize[name];
            if (_quantized.ContainsKey(name) || info.ProviderInput is not null)
            {
                continue;
            }

            if (Graph.IsInitializer(name))
            {
                AddDqForInitializer(name, info);
            }
            else
            {
                if (!Params.TryGetValue(name, out var p))
                {
                    throw new InvalidOperationException($"no calibrated range for '{name}': static quantization needs ranges for the inputs and outputs of quantized nodes");
                }

                string scaleName = name + "_scale", zpName = name + "_zero_point";
                Graph.AddInitializer(zpName, QuantMath.ToTensor(p.Type, [], [p.ZeroPoint]));
                Graph.AddInitializer(scaleName, TensorValue.Create(DataType.Float, [], new[] { p.Scale }));
                AddQdqForActivation(name, scaleName, zpName);
            }

            _toQuantize.Remove(name);
            _toQuantizeOrder.Remove(name);
        }
    }

    private void QuantizeSharingTensors()
    {
        while (_toQuantizeOrder.Count > 0)
        {
            bool progress = false;
            foreach (string name in _toQuantizeOrder.ToList())
            {
                TensorInfo info = _toQuantize[name];
                if (info.ProviderInput is string provider && _quantized.TryGetValue(provider, out var qv))
                {
                    _toQuantize.Remove(name);
                    _toQuantizeOrder.Remove(name);
                    AddQdqForActivation(name, qv.ScaleName, qv.ZeroPointName);
                    progress = true;
                }
            }

            if (!progress)
            {
                throw new InvalidOperationException($"tensor '{_toQuantizeOrder[0]}' shares the parameters of a tensor that is never quantized");
            }
        }
    }

    private void AddDqForInitializer(string name, TensorInfo info)
    {
        DataType type = info.Kind == Kind.Weight ? Options.WeightType : Options.ActivationType;
        QuantizedValue qv;
        if (info.Axis is int axis)
        {
            // Per-channel QDQ weights are forced to int8 (QLinearConv needs one zero point for all channels).
            qv = QuantizeWeightPerChannelImpl(name, type == DataType.UInt8 ? DataType.Int8 : type, axis, reduceRange: true);
        }
        else
        {
            qv = QuantizeInitializerImpl(name, type, reduceRange: false);
        }

        _quantized[name] = qv;
        string dqOut = name + "_DequantizeLinear_Output";
        Graph.ReplaceInputOfAllNodes(name, dqOut);
        Graph.Nodes.Add(DqNode(qv.QName, qv.ScaleName, qv.ZeroPointName, dqOut, name + "_DequantizeLinear", qv.Axis));
    }

    private void AddQdqForActivation(string name, string scaleName, string zpName)
    {
        string qIn = name;
        string dqOut = name + "_DequantizeLinear_Output";
        if (Graph.IsGraphOutput(name))
        {
            qIn = name + "_QuantizeLinear_Input";
            dqOut = name;
            Graph.ReplaceOutputOfAllNodes(name, qIn);
        }
        else
        {
            Graph.ReplaceInputOfAllNodes(name, dqOut);
        }

        string qOut = name + "_QuantizeLinear_Output";
        Graph.Nodes.Add(new WorkNode(name + "_QuantizeLinear", "QuantizeLinear", string.Empty, [qIn, scaleName, zpName], [qOut]));
        Graph.Nodes.Add(DqNode(qOut, scaleName, zpName, dqOut, name + "_DequantizeLinear", null));
        _quantized[name] = new QuantizedValue(name, dqOut, scaleName, zpName);
    }

    private void QuantizeBiases()
    {
        foreach (string bias in _biasOrder)
        {
            if (_quantized.ContainsKey(bias))
            {
                continue;
            }

            BiasInfo info = _biases[bias];
            if (!_quantized.TryGetValue(info.Weight, out var wq) || !_quantized.TryGetValue(info.Input, out var iq))
            {
                continue;
            }

            float inputScale = ScaleValues(iq.ScaleName)[0];
            QuantizedValue qv = QuantizeBiasImpl(bias, inputScale, ScaleValues(wq.ScaleName), info.Beta);
            _quantized[bias] = qv;
            Graph.RemoveInitializer(bias);
            Graph.Nodes.Add(DqNode(qv.QName, qv.ScaleName, qv.ZeroPointName, bias, bias + "_DequantizeLinear", qv.Axis));
        }
    }

    private static WorkNode DqNode(string input, string scale, string zp, string output, string name, int? axis)
    {
        var node = new WorkNode(name, "DequantizeLinear", string.Empty, [input, scale, zp], [output]);
        if (axis is int a)
        {
            node.Attributes["axis"] = new AttributeValue(AttributeKind.Int) { Int = a };
        }

        return node;
    }

    private sealed record TensorInfo(Kind Kind, int? Axis, string? ProviderInput, string? ProviderNode);

    private sealed record BiasInfo(string Node, string Input, string Weight, float Beta);
}
