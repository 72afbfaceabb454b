using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation;

/// <summary>
/// The element types a matrix layer's operands have on the accelerator. ONNX Runtime's CPU lowering leaves some QDQ
/// units as DequantizeLinear → float Conv/MatMul → QuantizeLinear (its int8-activation rule, docs/ort-cpu-findings.md);
/// on an accelerator those are integer matrix ops all the same, so an operand produced by a DequantizeLinear counts as
/// the DequantizeLinear's integer input type. Values are unaffected: the executor still computes ORT's bits.
/// </summary>
public sealed class OperandTypes
{
    private readonly Dictionary<string, Node> _nodesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DataType> _types;

    public OperandTypes(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _types = TypeInference.Infer(graph);
        foreach (Node node in graph.Nodes)
        {
            _nodesByName.TryAdd(node.Name, node);
            foreach (string output in node.Outputs)
            {
                _producers.TryAdd(output, node);
            }
        }
    }

    public (DataType Input, DataType Weight) Resolve(MatrixLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!_nodesByName.TryGetValue(layer.Name, out Node? node))
        {
            return (layer.InputType, layer.WeightType);
        }

        // com.microsoft.DynamicQuantizeMatMul quantizes its float A to uint8 itself (as DynamicQuantizeLinear does).
        if (node.OpType == "DynamicQuantizeMatMul")
        {
            return (DataType.UInt8, layer.WeightType);
        }

        // A float decoder graph runs on the array in fp16: MatMulNBits dequantizes its codes in front of fp16 multipliers
        // (W4A16, W8A16), and attention multiplies fp16 queries, keys and values.
        if (node.OpType == "MatMulNBits")
        {
            return (DataType.Float16, layer.WeightType == DataType.UInt4 ? DataType.Int4 : DataType.Int8);
        }

        if (node.OpType == "GroupQueryAttention")
        {
            return (DataType.Float16, DataType.Float16);
        }

        // The low-precision array quantizes its float activations to the weight's element type (LowPrecisionArrayMapping).
        if (node.OpType is "ArrayConv" or "ArrayGemm")
        {
            return (layer.WeightType, layer.WeightType);
        }

        // QLinear* and QGemm carry their scales between the operands; their operand types are integer already.
        int weightIndex = node.OpType is "QLinearConv" or "QLinearMatMul" or "QGemm" ? 3 : 1;
        return (Through(node, 0, layer.InputType), Through(node, weightIndex, layer.WeightType));
    }

    private DataType Through(Node node, int index, DataType type)
    {
        if (type is not (DataType.Float or DataType.Float16 or DataType.BFloat16) || index >= node.Inputs.Length)
        {
            return type;
        }

        if (!_producers.TryGetValue(node.Inputs[index], out Node? producer) || producer.OpType != "DequantizeLinear" || producer.Inputs.Length == 0)
        {
            return type;
        }

        return _types.TryGetValue(producer.Inputs[0], out DataType source) ? source : type;
    }
}
