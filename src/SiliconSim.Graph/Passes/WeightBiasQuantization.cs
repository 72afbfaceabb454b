using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's WeightBiasQuantization (level 1, optimizer/qdq_transformer/weight_bias_quantization.cc). A Conv,
/// ConvTranspose or Gemm whose input comes from a DequantizeLinear with a per-tensor scale gets a float weight
/// initializer quantized by ORT itself (int8, per tensor, asymmetric: <see cref="WeightParameters"/>), through a
/// Q → DQ pair that constant folding then turns into an int8 initializer; and a float bias initializer (1-D) becomes
/// DQ(Cast&lt;int32&gt;(Round(bias / (x_scale · w_scale))), x_scale · w_scale), built from ONNX ops that fold the same way.
/// The node's output must reach a QuantizeLinear through single readers, Relu and Clip only (the ORT 1.31 version;
/// older ones quantized without looking at the output). The node units this creates are what QLinearConv / QGemm
/// fusion needs.
/// </summary>
public sealed class WeightBiasQuantization : IGraphPass
{
    public string Name => "weight-bias-quantization";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node node in graph.Nodes.ToList())
        {
            if (node.OpType is "Conv" or "ConvTranspose" or "Gemm" && node.Inputs.Length >= 2)
            {
                Quantize(graph, node);
            }
        }
    }

    /// <summary>
    /// qmath.h GetQuantizationParameter&lt;int8_t&gt;: the range [min(x, 0), max(x, 0)] over 255 steps (scale 1 when the
    /// range is empty), and the zero point -128 - min / scale clamped to [-128, 127] and rounded half to even, in fp32.
    /// </summary>
    public static (float Scale, sbyte ZeroPoint) WeightParameters(ReadOnlySpan<float> weights)
    {
        float min = float.MaxValue;
        float max = float.MinValue;
        foreach (float w in weights)
        {
            // MLAS's min/max kernel keeps the running value on NaN (it compares with the new element second).
            min = w < min ? w : min;
            max = w > max ? w : max;
        }

        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        float scale = max == min ? 1f : (max - min) / 255f;
        float initialZeroPoint = -128f - (min / scale);
        float clamped = Math.Max(-128f, Math.Min(127f, initialZeroPoint));
        return (scale, (sbyte)MathF.Round(clamped, MidpointRounding.ToEven));
    }

    private static void Quantize(GraphEditor graph, Node node)
    {
        string weight = node.Inputs[1];
        string? bias = node.Inputs.Length >= 3 && node.Inputs[2].Length > 0 ? node.Inputs[2] : null;
        Node? dq0 = graph.Producer(node.Inputs[0]);
        if (dq0 is null || dq0.OpType != "DequantizeLinear" || !IsScalar(graph, dq0.Inputs[1]) || !LeadsToQuantize(graph, node))
        {
            return;
        }

        Node? dq1 = graph.Producer(weight) is { OpType: "DequantizeLinear" } p ? p : null;
        TensorValue? floatWeight = null;
        if (dq1 is null)
        {
            floatWeight = graph.Constant(weight);
            if (floatWeight is null || floatWeight.Type != DataType.Float)
            {
                return;
            }
        }

        int biasSize = -1;
        if (bias is not null)
        {
            TensorValue? b = graph.Constant(bias);
            if (b is null || b.Rank != 1)
            {
                return;
            }

            biasSize = b.Shape[0];
        }

        if (dq1 is not null && biasSize == -1)
        {
            return;
        }

        bool perTensor = true;
        if (dq1 is not null && !IsScalar(graph, dq1.Inputs[1]))
        {
            perTensor = false;
            TensorValue? ws = graph.Constant(dq1.Inputs[1]);
            if (ws is null || ws.Rank != 1 || ws.Shape[0] != biasSize || (dq1.Attributes.TryGetValue("block_size", out var bs) && bs.Int != 0))
            {
                return;
            }

            long axis = 1;
            if (dq1.Attributes.TryGetValue("axis", out var a))
            {
                axis = a.Int;
                if (axis < 0)
                {
                    if (graph.Constant(dq1.Inputs[0]) is not { } wq)
                    {
                        return;
                    }

                    axis += wq.Rank;
                }
            }

            long expected = node.OpType == "Gemm" ? (node.Attributes.TryGetValue("transB", out var t) && t.Int != 0 ? 0 : 1) : 0;
            if (axis != expected)
            {
                return;
            }
        }

        var added = new List<Node>();
        string weightScale;
        if (dq1 is null)
        {
            (float scale, sbyte zp) = WeightParameters(floatWeight!.Items<float>());
            weightScale = graph.FreshName(node.Name + "_weight_scale");
            string weightZp = graph.FreshName(node.Name + "_weight_zp");
            graph.SetInitializer(weightScale, TensorValue.Scalar(DataType.Float, scale));
            graph.SetInitializer(weightZp, TensorValue.Scalar(DataType.Int8, zp));
            string q = graph.FreshName(node.Name + "_weight_q");
            string dq = graph.FreshName(node.Name + "_weight_dq");
            graph.Types[q] = DataType.Int8;
            graph.Types[dq] = DataType.Float;
            added.Add(NewNode(graph, q, "QuantizeLinear", node.Domain, [weight, weightScale, weightZp], q));
            added.Add(NewNode(graph, dq, "DequantizeLinear", node.Domain, [q, weightScale, weightZp], dq));
            node = Rewire(graph, node, 1, dq);
        }
        else
        {
            weightScale = dq1.Inputs[1];
        }

        if (bias is not null)
        {
            string biasScale = graph.FreshName(node.Name + "_bias_scale");
            string div = graph.FreshName(node.Name + "_bias_div");
            string round = graph.FreshName(node.Name + "_bias_div_round");
            string int32 = graph.FreshName(node.Name + "_bias_int32");
            string biasDq = graph.FreshName(node.Name + "_bias_dq");
            graph.Types[biasScale] = DataType.Float;
            graph.Types[div] = DataType.Float;
            graph.Types[round] = DataType.Float;
            graph.Types[int32] = DataType.Int32;
            graph.Types[biasDq] = DataType.Float;
            added.Add(NewNode(graph, biasScale, "Mul", node.Domain, [dq0.Inputs[1], weightScale], biasScale));
            added.Add(NewNode(graph, div, "Div", node.Domain, [bias, biasScale], div));
            added.Add(NewNode(graph, round, "Round", node.Domain, [div], round));
            var toInt32 = new AttributeValue(AttributeKind.Int) { Int = (long)DataType.Int32 };
            Node cast = NewNode(graph, int32, "Cast", node.Domain, [round], int32);
            added.Add(cast with { Attributes = cast.Attributes.Add("to", toInt32) });
            var dqNode = NewNode(graph, biasDq, "DequantizeLinear", node.Domain, [int32, biasScale], biasDq);
            if (!perTensor)
            {
                dqNode = dqNode with { Attributes = dqNode.Attributes.Add("axis", new AttributeValue(AttributeKind.Int) { Int = 0 }) };
            }

            added.Add(dqNode);
            node = Rewire(graph, node, 2, biasDq);
        }

        graph.Nodes.InsertRange(graph.Nodes.IndexOf(node), added);
    }

    /// <summary>IsNoBranchPathToQuantizeLinear: single readers, through Relu or Clip only, to a QuantizeLinear.</summary>
    private static bool LeadsToQuantize(GraphEditor graph, Node node)
    {
        Node current = node;
        while (current.Outputs.Length == 1)
        {
            var readers = graph.Consumers(current.Outputs[0]).Select(c => c.Node).Distinct().ToList();
            if (readers.Count != 1)
            {
                return false;
            }

            current = readers[0];
            if (current.OpType == "QuantizeLinear")
            {
                return true;
            }

            if (current.OpType is not ("Relu" or "Clip"))
            {
                return false;
            }
        }

        return false;
    }

    private static Node NewNode(GraphEditor graph, string stem, string op, string domain, ImmutableArray<string> inputs, string output) =>
        new(graph.FreshName(stem + "_node"), op, domain, inputs, [output], ImmutableDictionary<string, AttributeValue>.Empty);

    private static Node Rewire(GraphEditor graph, Node node, int slot, string value)
    {
        Node rewired = node with { Inputs = node.Inputs.SetItem(slot, value) };
        graph.Replace(node, rewired);
        return rewired;
    }

    /// <summary>optimizer_utils::IsScalar on the value's shape, known here only for initializers.</summary>
    private static bool IsScalar(GraphEditor graph, string value) => graph.Constant(value) is { } t && QdqMatch.IsScalarShape(t);
}
