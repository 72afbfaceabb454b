using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// ORT's ONNXQuantizer in QLinearOps mode (onnx_quantizer.py) with the QOperator op quantizers of operators/*.py:
/// nodes are visited in order and rewritten to QLinearConv, QGemm, QLinearMatMul, QLinearAdd/Mul,
/// QLinearGlobalAveragePool, QLinearAveragePool, QLinearSoftmax, QLinear activations, or run on 8-bit data directly
/// (Reshape, Transpose, MaxPool, ...); inputs are quantized on first use and values a float node reads are dequantized.
/// </summary>
internal sealed class QOperatorQuantizer : QuantizerBase
{
    private const string MsDomain = "com.microsoft";
    private readonly Dictionary<string, QuantizedValue> _quantized = new(StringComparer.Ordinal);
    private readonly List<WorkNode> _newNodes = [];
    private readonly HashSet<string> _generated;

    public QOperatorQuantizer(WorkGraph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options, IReadOnlySet<string> opTypes)
        : base(graph, ranges, options, opTypes)
    {
        _generated = new HashSet<string>(graph.Source.RuntimeInputs.Select(i => i.Name), StringComparer.Ordinal);
    }

    public ModelGraph Quantize()
    {
        foreach (WorkNode node in Graph.Nodes.ToList())
        {
            int before = _newNodes.Count;
            bool handled = ShouldQuantize(node) && QuantizeNode(node);
            if (!handled)
            {
                Default(node);
            }

            for (int i = before; i < _newNodes.Count; i++)
            {
                _generated.UnionWith(_newNodes[i].Outputs);
            }
        }

        foreach (ValueInfo output in Graph.Source.Outputs)
        {
            if (DequantizeValue(output.Name) is WorkNode dq)
            {
                _newNodes.Add(dq);
            }
        }

        return Graph.Build(_newNodes, "onnx.quantize");
    }

    /// <summary>QuantOperatorBase.should_quantize: the node is in the op set and its first input is float.</summary>
    private bool ShouldQuantize(WorkNode node) => QuantRegistry.QLinearOps.Contains(node.OpType) && ShouldQuantizeNode(node) && Graph.IsFloat(node.Inputs[0]);

    /// <summary>Returns false when the op quantizer falls back to QuantOperatorBase.</summary>
    private bool QuantizeNode(WorkNode node)
    {
        switch (node.OpType)
        {
            case "Conv":
                return QLinearConv(node);
            case "Gemm":
                return QGemm(node);
            case "MatMul":
                return QLinearMatMul(node);
            case "Add" or "Mul":
                return QLinearBinary(node);
            case "Relu" or "Clip":
                if (!_quantized.TryGetValue(node.Inputs[0], out var input))
                {
                    return false;
                }

                // The output range was given to the input (adjust_tensor_ranges), so the op is dropped.
                _quantized[node.Outputs[0]] = input;
                return true;
            case "LeakyRelu" or "Sigmoid":
                return QLinearUnary(node, "QLinear" + node.OpType, keepAttributes: true, output: null);
            case "GlobalAveragePool":
                return QLinearGlobalAveragePool(node);
            case "AveragePool":
                return QLinearUnary(node, "QLinearAveragePool", keepAttributes: true, output: null);
            case "Softmax":
                return QLinearSoftmax(node);
            case "Gather":
                return Gather(node);
            case "ArgMax" or "Split" or "Pad" or "Resize" or "Concat" or "Where" or "EmbedLayerNormalization":
                throw new NotSupportedException($"the QOperator quantizer does not implement ORT's {node.OpType} rule yet (node '{node.Name}'); exclude the op type or the node");
            default:
                if (QuantRegistry.QOpDirect8Bit.Contains(node.OpType))
                {
                    return Direct8Bit(node);
                }

                return false;
        }
    }

    /// <summary>QuantOperatorBase.quantize: dequantize quantized inputs, keep the node in float.</summary>
    private void Default(WorkNode node)
    {
        foreach (string input in node.Inputs)
        {
            if (DequantizeValue(input) is WorkNode dq)
            {
                _newNodes.Add(dq);
                _generated.UnionWith(dq.Outputs);
            }
        }

        _newNodes.Add(node);
    }

    private WorkNode? DequantizeValue(string value)
    {
        if (!_quantized.TryGetValue(value, out var qv) || _generated.Contains(value))
        {
            return null;
        }

        string name = value + "_DequantizeLinear";
        if (_newNodes.Any(n => n.Name == name))
        {
            return null;
        }

        return new WorkNode(name, "DequantizeLinear", string.Empty, [qv.QName, qv.ScaleName, qv.ZeroPointName], [value]);
    }

    /// <summary>_get_quantization_params: the activation's scale and zero-point initializers, or null when uncalibrated.</summary>
    private (string Scale, string ZeroPoint)? OutputParams(string tensor, float? useScale = null, int? useZeroPoint = null)
    {
        if (!Params.TryGetValue(tensor, out var p))
        {
            return null;
        }

        float scale = useScale ?? p.Scale;
        int zp = useZeroPoint ?? p.ZeroPoint;
        string scaleName = tensor + "_scale", zpName = tensor + "_zero_point";
        Graph.AddInitializer(zpName, QuantMath.ToTensor(p.Type, [], [zp]));
        Graph.AddInitializer(scaleName, TensorValue.Create(DataType.Float, [], new[] { scale }));
        return (scaleName, zpName);
    }

    /// <summary>__quantize_inputs: the quantized forms of the given inputs (initializers quantized, activations through
    /// a new QuantizeLinear), or null when an activation has no calibrated range.</summary>
    private List<QuantizedValue?>? QuantizeInputs(WorkNode node, int[] indices, bool useWeightType, bool perChannel, int axis, bool reduceRange, List<WorkNode> nodes)
    {
        var result = new List<QuantizedValue?>();
        foreach (int index in indices)
        {
            string input = node.Inputs[index];
            if (_quantized.TryGetValue(input, out var known))
            {
                result.Add(known);
                continue;
            }

            if (input.Length == 0)
            {
                result.Add(null);
                continue;
            }

            if (Graph.IsInitializer(input))
            {
                DataType type = useWeightType ? Options.WeightType : Options.ActivationType;
                QuantizedValue qv = Options.PerChannel && perChannel
                    ? QuantizeWeightPerChannelImpl(input, type, axis, reduceRange)
                    : QuantizeInitializerImpl(input, type, reduceRange);
                _quantized[input] = qv;
                result.Add(qv);
                continue;
            }

            string qNodeName = input + "_QuantizeLinear";
            WorkNode? existing = _newNodes.Concat(nodes).FirstOrDefault(n => n.Name == qNodeName);
            if (existing is null)
            {
                if (OutputParams(input) is not (string scale, string zp))
                {
                    return null;
                }

                existing = new WorkNode(qNodeName, "QuantizeLinear", string.Empty, [input, scale, zp], [input + QuantSuffix]);
                _quantized[input] = new QuantizedValue(input, input + QuantSuffix, scale, zp);
                nodes.Add(existing);
            }

            result.Add(new QuantizedValue(input, existing.Outputs[0], existing.Inputs[1], existing.Inputs[2]));
        }

        return result;
    }

    private List<QuantizedValue?>? QuantizeActivation(WorkNode node, int[] indices, List<WorkNode> nodes) =>
        QuantizeInputs(node, indices, useWeightType: false, perChannel: false, axis: -1, reduceRange: false, nodes);

    private string QuantizeBias(string bias, string input, string weight, float beta)
    {
        if (_quantized.TryGetValue(bias, out var known))
        {
            return known.QName;
        }

        float[] weightScales = ScaleValues(_quantized[weight].ScaleName);
        string inputScaleName = _quantized.TryGetValue(input, out var iq) ? iq.ScaleName : OutputParams(input)?.Scale
            ?? throw new InvalidOperationException($"no scale for '{input}', the input of bias '{bias}'");
        QuantizedValue qv = QuantizeBiasImpl(bias, ScaleValues(inputScaleName)[0], weightScales, beta);
        _quantized[bias] = qv;
        return qv.QName;
    }

    private bool QLinearConv(WorkNode node)
    {
        var outParams = OutputParams(node.Outputs[0]);
        var nodes = new List<WorkNode>();
        var qx = QuantizeActivation(node, [0], nodes);
        List<QuantizedValue?>? qw;
        if (Graph.IsInitializer(node.Inputs[1]) && Options.PerChannel)
        {
            // QLinearConv: per-channel weights are int8 (one zero point for every channel).
            qw = [_quantized.TryGetValue(node.Inputs[1], out var k) ? k : _quantized[node.Inputs[1]] = QuantizeWeightPerChannelImpl(node.Inputs[1], DataType.Int8, 0, reduceRange: true)];
        }
        else
        {
            qw = QuantizeInputs(node, [1], useWeightType: true, perChannel: false, axis: -1, reduceRange: true, nodes);
        }

        if (outParams is not (string ys, string yzp) || qx is null || qw is null)
        {
            return false;
        }

        var inputs = new List<string> { qx[0]!.QName, qx[0]!.ScaleName, qx[0]!.ZeroPointName, qw[0]!.QName, qw[0]!.ScaleName, qw[0]!.ZeroPointName, ys, yzp };
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
        {
            inputs.Add(QuantizeBias(node.Inputs[2], node.Inputs[0], node.Inputs[1], 1f));
        }

        Emit(node, "QLinearConv", string.Empty, inputs, nodes, ys, yzp, node.Attributes);
        return true;
    }

    private bool QGemm(WorkNode node)
    {
        var outParams = OutputParams(node.Outputs[0]);
        var nodes = new List<WorkNode>();
        var qa = QuantizeActivation(node, [0], nodes);
        bool transB = node.IntAttribute("transB", 0) != 0;
        var qb = Graph.IsInitializer(node.Inputs[1]) && Options.PerChannel
            ? QuantizeInputs(node, [1], useWeightType: true, perChannel: true, axis: transB ? 0 : 1, reduceRange: true, nodes)
            : QuantizeInputs(node, [1], useWeightType: true, perChannel: false, axis: -1, reduceRange: true, nodes);
        if (outParams is not (string ys, string yzp) || qa is null || qb is null)
        {
            return false;
        }

        string bias = string.Empty;
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
        {
            if (!Graph.IsInitializer(node.Inputs[2]))
            {
                return false;
            }

            bias = QuantizeBias(node.Inputs[2], node.Inputs[0], node.Inputs[1], node.FloatAttribute("beta", 1f));
        }

        var inputs = new List<string> { qa[0]!.QName, qa[0]!.ScaleName, qa[0]!.ZeroPointName, qb[0]!.QName, qb[0]!.ScaleName, qb[0]!.ZeroPointName, bias, ys, yzp };
        var attrs = node.Attributes.Where(kv => kv.Key != "beta").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Emit(node, "QGemm", MsDomain, inputs, nodes, ys, yzp, attrs);
        return true;
    }

    private bool QLinearMatMul(WorkNode node)
    {
        var nodes = new List<WorkNode>();
        var qa = QuantizeActivation(node, [0], nodes);
        var qb = QuantizeInputs(node, [1], useWeightType: true, perChannel: true, axis: -1, reduceRange: true, nodes);
        var outParams = OutputParams(node.Outputs[0]);
        if (outParams is not (string ys, string yzp) || qa is null || qb is null)
        {
            return false;
        }

        var inputs = new List<string> { qa[0]!.QName, qa[0]!.ScaleName, qa[0]!.ZeroPointName, qb[0]!.QName, qb[0]!.ScaleName, qb[0]!.ZeroPointName, ys, yzp };
        Emit(node, "QLinearMatMul", string.Empty, inputs, nodes, ys, yzp, null);
        return true;
    }

    private bool QLinearBinary(WorkNode node)
    {
        var outParams = OutputParams(node.Outputs[0]);
        var nodes = new List<WorkNode>();
        var q = QuantizeActivation(node, [0, 1], nodes);
        if (outParams is not (string ys, string yzp) || q is null)
        {
            return false;
        }

        var inputs = new List<string> { q[0]!.QName, q[0]!.ScaleName, q[0]!.ZeroPointName, q[1]!.QName, q[1]!.ScaleName, q[1]!.ZeroPointName, ys, yzp };
        Emit(node, "QLinear" + node.OpType, MsDomain, inputs, nodes, ys, yzp, node.Attributes);
        return true;
    }

    private bool QLinearUnary(WorkNode node, string opType, bool keepAttributes, (float Scale, int ZeroPoint)? output)
    {
        var outParams = OutputParams(node.Outputs[0], output?.Scale, output?.ZeroPoint);
        var nodes = new List<WorkNode>();
        var q = QuantizeActivation(node, [0], nodes);
        if (outParams is not (string ys, string yzp) || q is null)
        {
            return false;
        }

        var inputs = new List<string> { q[0]!.QName, q[0]!.ScaleName, q[0]!.ZeroPointName, ys, yzp };
        Emit(node, opType, MsDomain, inputs, nodes, ys, yzp, keepAttributes ? node.Attributes : null);
        return true;
    }

    private bool QLinearSoftmax(WorkNode node)
    {
        // softmax.py: the output is always in [0, 1], so its parameters are fixed at 1/256 (zero point 0 or -128).
        int zp = Options.ActivationType == DataType.UInt8 ? 0 : -128;
        if (!Params.ContainsKey(node.Outputs[0]))
        {
            return false;
        }

        var attrs = new Dictionary<string, AttributeValue>(node.Attributes, StringComparer.Ordinal)
        {
            ["opset"] = new AttributeValue(AttributeKind.Int) { Int = Graph.Source.OpsetOf(string.Empty) },
        };
        var outParams = OutputParams(node.Outputs[0], (float)(1 / 256.0), zp);
        var nodes = new List<WorkNode>();
        var q = QuantizeActivation(node, [0], nodes);
        if (outParams is not (string ys, string yzp) || q is null)
        {
            return false;
        }

        Emit(node, "QLinearSoftmax", MsDomain, [q[0]!.QName, q[0]!.ScaleName, q[0]!.ZeroPointName, ys, yzp], nodes, ys, yzp, attrs);
        return true;
    }

    private bool QLinearGlobalAveragePool(WorkNode node)
    {
        if (!_quantized.TryGetValue(node.Inputs[0], out var qx))
        {
            return false;
        }

        var outParams = OutputParams(node.Outputs[0]);
        (string ys, string yzp) = outParams ?? (qx.ScaleName, qx.ZeroPointName);
        var attrs = new Dictionary<string, AttributeValue>(node.Attributes, StringComparer.Ordinal)
        {
            ["channels_last"] = new AttributeValue(AttributeKind.Int) { Int = 0 },
        };
        Emit(node, "QLinearGlobalAveragePool", MsDomain, [qx.QName, qx.ScaleName, qx.ZeroPointName, ys, yzp], [], ys, yzp, attrs);
        return true;
    }

    private bool Gather(WorkNode node)
    {
        if (!(Graph.IsInitializer(node.Inputs[0]) && Graph.IsFloat(node.Inputs[0])))
        {
            return false;
        }

        var nodes = new List<WorkNode>();
        var q = QuantizeActivation(node, [0], nodes);
        if (q is null)
        {
            return false;
        }

        string output = node.Outputs[0] + QuantSuffix;
        _quantized[node.Outputs[0]] = new QuantizedValue(node.Outputs[0], output, q[0]!.ScaleName, q[0]!.ZeroPointName);
        node.Inputs[0] = q[0]!.QName;
        node.Outputs[0] = output;
        nodes.Add(node);
        _newNodes.AddRange(nodes);
        return true;
    }

    /// <summary>Direct8BitOp: runs on the quantized input, the output sharing its parameters.</summary>
    private bool Direct8Bit(WorkNode node)
    {
        if (!_quantized.TryGetValue(node.Inputs[0], out var qx))
        {
            return false;
        }

        string output = node.Outputs[0] + QuantSuffix;
        _quantized[node.Outputs[0]] = new QuantizedValue(node.Outputs[0], output, qx.ScaleName, qx.ZeroPointName);
        node.Inputs[0] = qx.QName;
        node.Outputs[0] = output;
        _newNodes.Add(node);
        return true;
    }

    private void Emit(WorkNode node, string opType, string domain, List<string> inputs, List<WorkNode> nodes, string ys, string yzp, IDictionary<string, AttributeValue>? attributes)
    {
        string output = node.Outputs[0] + QuantSuffix;
        nodes.Add(new WorkNode(node.Name + "_quant", opType, domain, inputs, [output], attributes));
        _quantized[node.Outputs[0]] = new QuantizedValue(node.Outputs[0], output, ys, yzp);
        _newNodes.AddRange(nodes);
    }
}
