using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// Element-type inference over a graph: declared types first, then a rule per op family. Rewrite passes need the
/// types (ORT's fusion rules are decided by them); shapes are known exactly once the graph runs.
/// </summary>
public static class TypeInference
{
    /// <summary>The element type of every value the rules can decide.</summary>
    public static Dictionary<string, DataType> Infer(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var types = new Dictionary<string, DataType>(StringComparer.Ordinal);
        foreach (var (name, value) in graph.Initializers)
        {
            types[name] = value.Type;
        }

        foreach (var v in graph.Inputs.Concat(graph.ValueInfos.Values))
        {
            if (v.Type != DataType.Undefined)
            {
                types.TryAdd(v.Name, v.Type);
            }
        }

        foreach (Node n in graph.Nodes)
        {
            DataType t = RuleType(n, types) ?? In(n, 0, types);
            for (int i = 0; i < n.Outputs.Length; i++)
            {
                if (n.Outputs[i].Length > 0 && t != DataType.Undefined)
                {
                    types[n.Outputs[i]] = i == 0 ? t : SecondaryRuleType(n, i) ?? In(n, 0, types);
                }
            }
        }

        return types;
    }

    /// <summary>
    /// The element type the op's rule gives output <paramref name="index"/> of <paramref name="n"/> from its input
    /// types; null where no rule exists (<see cref="Infer"/> then assumes the first input's type, a guess that is no
    /// contract), and <see cref="DataType.Undefined"/> where the rule needs an input type nobody knows.
    /// </summary>
    internal static DataType? RuleType(Node n, int index, IReadOnlyDictionary<string, DataType> types)
    {
        DataType? primary = RuleType(n, types);
        if (index == 0 || primary is null || primary == DataType.Undefined)
        {
            return index == 0 ? primary : null;
        }

        return SecondaryRuleType(n, index);
    }

    private static DataType In(Node n, int i, IReadOnlyDictionary<string, DataType> types) =>
        i < n.Inputs.Length && types.TryGetValue(n.Inputs[i], out var t) ? t : DataType.Undefined;

    private static DataType? RuleType(Node n, IReadOnlyDictionary<string, DataType> types)
    {
        switch (n.OpType)
        {
            case "QuantizeLinear":
                {
                    DataType zp = In(n, 2, types);
                    if (zp != DataType.Undefined)
                    {
                        return zp;
                    }

                    return n.Attributes.TryGetValue("output_dtype", out var a) && a.Int != 0 ? (DataType)a.Int : DataType.UInt8;
                }

            case "DequantizeLinear":
                return n.Attributes.TryGetValue("output_dtype", out var o) && o.Int != 0 ? (DataType)o.Int : In(n, 1, types);
            case "DynamicQuantizeLinear":
                return DataType.UInt8;
            case "TRT_FP4DynamicQuantize":
                // TensorRT's NVFP4 block quantization: E2M1 codes, then the block scales (scale_type, FLOAT8E4M3FN).
                return DataType.Float4E2M1;
            case "QLinearConv" or "QLinearMatMul":
                return In(n, 7, types);
            case "QLinearAdd" or "QLinearMul":
                return In(n, 7, types) != DataType.Undefined ? In(n, 7, types) : In(n, 0, types);
            case "QLinearGlobalAveragePool" or "QLinearAveragePool" or "QLinearSoftmax" or "QLinearSigmoid" or "QLinearLeakyRelu":
                return In(n, 4, types) != DataType.Undefined ? In(n, 4, types) : In(n, 0, types);
            case "QGemm":
                // Inputs: A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp; no y_scale means float output.
                return n.Inputs.Length > 8 && n.Inputs[8].Length > 0 ? In(n, 8, types)
                    : n.Inputs.Length > 7 && n.Inputs[7].Length > 0 ? In(n, 0, types) : DataType.Float;
            case "MatMulInteger" or "ConvInteger":
                return DataType.Int32;
            case "ArrayConv" or "ArrayGemm":
                // LowPrecisionArrayMapping's ops may read quantized activations; they write float, or the type of a
                // fused QuantizeLinear's zero point (input 6).
                return n.Inputs.Length > 6 && n.Inputs[6].Length > 0 ? In(n, 6, types) : DataType.Float;
            case "MatMulIntegerToFloat":
                return DataType.Float;
            case "Cast":
                return n.Attributes.TryGetValue("to", out var to) ? (DataType)to.Int : DataType.Undefined;
            case "Shape" or "Size" or "ArgMax" or "ArgMin" or "NonZero":
                return DataType.Int64;
            case "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "Not" or "And" or "Or" or "Xor" or "IsNaN" or "IsInf":
                return DataType.Bool;
            case "Constant":
                return n.Attributes.TryGetValue("value", out var v) && v.Tensor is not null ? v.Tensor.Type
                    : n.Attributes.ContainsKey("value_float") || n.Attributes.ContainsKey("value_floats") ? DataType.Float
                    : n.Attributes.ContainsKey("value_int") || n.Attributes.ContainsKey("value_ints") ? DataType.Int64
                    : DataType.Undefined;
            case "Where":
                return In(n, 1, types);
            default:
                return null;
        }
    }

    private static DataType? SecondaryRuleType(Node n, int index) => n.OpType switch
    {
        "DynamicQuantizeLinear" => index == 1 ? DataType.Float : DataType.UInt8,
        "TRT_FP4DynamicQuantize" => n.Attributes.TryGetValue("scale_type", out var s) && s.Int != 0 ? (DataType)s.Int : DataType.Float8E4M3FN,
        "MaxPool" => DataType.Int64,
        "LayerNormalization" => DataType.Float,
        _ => null,
    };
}
