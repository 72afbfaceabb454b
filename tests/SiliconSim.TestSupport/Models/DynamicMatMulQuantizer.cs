using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// The graph ONNX Runtime's <c>quantize_dynamic</c> writes for float MatMuls with constant weights (QOperator format,
/// IntegerOpsRegistry's MatMulInteger; onnxruntime/python/tools/quantization/operators/matmul.py), default options:
/// uint8 activations quantized at run time by DynamicQuantizeLinear (once per tensor, however many MatMuls read it),
/// per-tensor symmetric int8 weights, and MatMulInteger → Cast(float) → Mul(Mul(x_scale, w_scale)). Names follow ORT's
/// (<c>x_quantized</c>, <c>w_scale</c>, <c>node_output_quantized</c>, ...). Other ops stay float. Test-only.
/// </summary>
public static class DynamicMatMulQuantizer
{
    public static ModelProto Quantize(ModelProto fp32)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ModelProto model = fp32.Clone();
        GraphProto g = model.Graph;
        var inits = g.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var quantizedActivations = new HashSet<string>(StringComparer.Ordinal);
        var quantizedWeights = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        foreach (NodeProto n in g.Node)
        {
            if (n.OpType != "MatMul" || !inits.TryGetValue(n.Input[1], out TensorProto? wProto) || wProto.Dims.Count != 2
                || wProto.DataType != (int)DataType.Float)
            {
                nodes.Add(n);
                continue;
            }

            string x = n.Input[0];
            string w = n.Input[1];
            if (quantizedActivations.Add(x))
            {
                nodes.Add(Node("DynamicQuantizeLinear", x + "_QuantizeLinear", [x], [x + "_quantized", x + "_scale", x + "_zero_point"]));
            }

            if (quantizedWeights.Add(w))
            {
                (TensorValue q, float[] scales, int[] zps) = QuantMath.QuantizeWeight(TensorProtos.FromProto(wProto), DataType.Int8, symmetric: true, reduceRange: false, axis: null);
                g.Initializer.Add(TensorProtos.ToProto(w + "_quantized", q));
                g.Initializer.Add(TensorProtos.ToProto(w + "_scale", TensorValue.Scalar(DataType.Float, scales[0])));
                g.Initializer.Add(TensorProtos.ToProto(w + "_zero_point", TensorValue.Scalar(DataType.Int8, (sbyte)zps[0])));
            }

            string y = n.Output[0];
            string mmOut = y + "_output_quantized";
            nodes.Add(Node("MatMulInteger", n.Name + "_quant", [x + "_quantized", w + "_quantized", x + "_zero_point", w + "_zero_point"], [mmOut]));
            var cast = Node("Cast", n.Name + "_cast", [mmOut], [mmOut + "_cast_output"]);
            cast.Attribute.Add(OnnxBuilder.Attribute("to", (long)DataType.Float));
            nodes.Add(cast);
            nodes.Add(Node("Mul", n.Name + "_scales_mul", [x + "_scale", w + "_scale"], [n.Name + "_scales_mul:0"]));
            nodes.Add(Node("Mul", n.Name + "_output_scale_mul", [mmOut + "_cast_output", n.Name + "_scales_mul:0"], [y]));
        }

        g.Node.Clear();
        g.Node.AddRange(nodes);
        var used = new HashSet<string>(nodes.SelectMany(n => n.Input), StringComparer.Ordinal);
        var keep = g.Initializer.Where(i => used.Contains(i.Name)).ToList();
        g.Initializer.Clear();
        g.Initializer.AddRange(keep);
        model.ProducerName = "onnx.quantize";
        if (!model.OpsetImport.Any(o => o.Domain == "com.microsoft"))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }

        return model;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        return n;
    }
}
