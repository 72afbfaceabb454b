using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>
/// The ops a transformer encoder quantizes (Gather, LayerNormalization, MatMul with a constant and with two
/// activations, Transpose, Mul, Softmax, Add, Reshape) through the quantizer in both formats; the quantized graph must
/// have the ops ORT's registries give, and SiliconSim must run it bit for bit as ONNX Runtime does.
/// </summary>
public sealed class TransformerOpsQuantizerTests
{
    private const int Tokens = 6;
    private const int Hidden = 16;
    private const int Vocab = 32;

    public static TheoryData<string> Forms() => ["qdq_s8s8_channel", "qdq_u8s8_tensor", "qop_u8s8_tensor", "qop_s8s8_channel"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void AttentionBlock_QuantizedRunsBitExactAgainstOrt(string form)
    {
        ModelGraph fp32 = OnnxModelReader.Read(new MemoryStream(Model()));
        ModelGraph quantized = StaticQuantizer.Quantize(fp32, [Feeds(1), Feeds(2), Feeds(3)], DigitsQuantizerTests.OptionsFor(form));
        byte[] bytes = OnnxModelWriter.ToBytes(quantized);

        var ops = quantized.Nodes.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        if (form.StartsWith("qop", StringComparison.Ordinal))
        {
            // registry.py: QLinearMatMul (both MatMul kinds), QLinearMul/Add, QLinearSoftmax, Gather on 8-bit data; LayerNormalization stays float.
            Assert.Superset(new HashSet<string>(["QLinearMatMul", "QLinearMul", "QLinearAdd", "QLinearSoftmax", "Gather", "LayerNormalization", "Transpose", "Reshape"]), ops);
            Assert.DoesNotContain("MatMul", ops);
        }
        else
        {
            Assert.Superset(new HashSet<string>(["QuantizeLinear", "DequantizeLinear", "MatMul", "Softmax", "LayerNormalization", "Gather"]), ops);
        }

        var input = Feeds(7);
        TensorValue expected = OrtOracle.Run(bytes, [.. input.Select(kv => (kv.Key, kv.Value))])[0].Value;
        var lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(bytes)));
        TensorValue actual = GraphExecutor.Run(lowered, input)[0].Value;
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
        Assert.True(mismatches == 0, $"{form}: {mismatches}/{e.Length} outputs differ from ORT's");
    }

    private static Dictionary<string, TensorValue> Feeds(int seed)
    {
        var r = new Random(seed);
        var ids = Enumerable.Range(0, 2 * Tokens).Select(_ => (long)r.Next(Vocab)).ToArray();
        return new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["ids"] = TensorValue.Create(DataType.Int64, [2, Tokens], ids) };
    }

    /// <summary>One single-head attention block: embedding, LayerNorm, Q/K/V projections, scaled scores, softmax,
    /// context, output projection with bias, residual Add, and a Reshape to [2, Tokens * Hidden].</summary>
    private static byte[] Model()
    {
        var t = new SeededTensors(5);
        var b = new OnnxBuilder(opset: 17).Input("ids", DataType.Int64, 2, Tokens);
        b.Initializer("emb", t.Normal(1f, Vocab, Hidden));
        b.Initializer("gamma", t.Uniform(0.5f, 1.5f, Hidden));
        b.Initializer("beta", t.Normal(0.1f, Hidden));
        foreach (string w in new[] { "wq", "wk", "wv", "wo" })
        {
            b.Initializer(w, t.Normal(0.25f, Hidden, Hidden));
        }

        b.Initializer("bo", t.Normal(0.1f, Hidden));
        b.Initializer("scale", TensorValue.Scalar(DataType.Float, 0.25f));
        b.Initializer("shape", TensorValue.Create(DataType.Int64, [2], new long[] { 2, Tokens * Hidden }));
        b.Node("Gather", ["emb", "ids"], ["x"], name: "gather");
        b.Node("LayerNormalization", ["x", "gamma", "beta"], ["ln"], name: "ln", attributes: [("axis", -1L), ("epsilon", 1e-5f)]);
        b.Node("MatMul", ["ln", "wq"], ["q"], name: "mm_q");
        b.Node("MatMul", ["ln", "wk"], ["k"], name: "mm_k");
        b.Node("MatMul", ["ln", "wv"], ["v"], name: "mm_v");
        b.Node("Transpose", ["k"], ["kt"], name: "kt", attributes: [("perm", new long[] { 0, 2, 1 })]);
        b.Node("MatMul", ["q", "kt"], ["scores"], name: "mm_qk");
        b.Node("Mul", ["scores", "scale"], ["scaled"], name: "mul_scale");
        b.Node("Softmax", ["scaled"], ["probs"], name: "softmax", attributes: [("axis", -1L)]);
        b.Node("MatMul", ["probs", "v"], ["ctx"], name: "mm_pv");
        b.Node("MatMul", ["ctx", "wo"], ["proj"], name: "mm_o");
        b.Node("Add", ["proj", "bo"], ["proj_b"], name: "add_bias");
        b.Node("Add", ["proj_b", "x"], ["res"], name: "add_res");
        b.Node("Reshape", ["res", "shape"], ["out"], name: "reshape");
        return b.Output("out", DataType.Float).ToBytes();
    }
}
