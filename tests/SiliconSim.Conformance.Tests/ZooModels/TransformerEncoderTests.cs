using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The 2-layer transformer encoder (<see cref="TransformerEncoderBuilder"/>) run by SiliconSim after ORT-CPU lowering
/// against ONNX Runtime at its default level (ALL, one thread), every output bit compared, over several batch and
/// sequence sizes and inputs. ORT fuses this graph (GeluFusion + BiasGeluFusion, MatMulScaleFusion), which changes
/// bits, so agreement requires the same fusions with the fused kernels' arithmetic. The quantized forms (static QDQ and
/// QOperator from SiliconSim's quantize_static, and quantize_dynamic's MatMul form) are held to the same standard, and
/// every form's lowering must pick ORT's kernels.
/// </summary>
public sealed class TransformerEncoderTests
{
    /// <summary>The ops whose presence decides the arithmetic, compared between SiliconSim's lowering and ORT's graph.</summary>
    private static readonly string[] s_kernelOps =
        ["MatMul", "FusedMatMul", "Gemm", "Add", "Mul", "Div", "Erf", "Gelu", "BiasGelu", "Softmax", "LayerNormalization", "SkipLayerNormalization", "ReduceMean"];

    private static readonly string[] s_quantizedOps =
        ["QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "MatMulIntegerToFloat", "QGemm", "QLinearAdd", "QLinearMul", "QLinearSoftmax", "DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul", "Cast"];

    /// <summary>The quantized forms, made once (calibration runs the fp32 model).</summary>
    private static readonly Lazy<Dictionary<string, Graph.Onnx.Proto.ModelProto>> s_forms = new(() =>
        TransformerEncoderForms.All.ToDictionary(f => f, f => TransformerEncoderForms.Build(f), StringComparer.Ordinal));

    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 2, 8, 1 },
        { 3, 12, 2 },
        { 4, 16, 3 },
        { 2, 13, 4 },
        { 1, 1, 5 },
        { 4, 9, 6 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Fp32_MatchesOrtBitForBit(int batch, int seq, int inputSeed)
    {
        var proto = TransformerEncoderBuilder.Build();
        TensorValue x = TransformerEncoderBuilder.Input(batch, seq, inputSeed);
        AssertBitExact(proto, x, $"{batch}x{seq}");
    }

    [Theory]
    [InlineData(4f)]
    [InlineData(0.05f)]
    public void Fp32_ScaledInputs_MatchOrtBitForBit(float scale)
    {
        // Large inputs push the Gelu arguments past erf's 0.92 split and its clamp; small ones keep them near zero.
        var proto = TransformerEncoderBuilder.Build(seed: 77);
        TensorValue x = TransformerEncoderBuilder.Input(3, 10, 11);
        float[] v = x.Items<float>().Select(e => e * scale).ToArray();
        AssertBitExact(proto, TensorValue.FromFloats([.. x.Shape], v), $"x{scale}");
    }

    [Fact]
    public void Fp32_Lowering_ChoosesTheKernelsOrtChooses()
    {
        var proto = TransformerEncoderBuilder.Build();
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Import(proto));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(proto.ToByteArray())));
        foreach (string op in s_kernelOps)
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }

        // The fusions this model exists to exercise.
        Assert.Equal(TransformerEncoderBuilder.Layers, Count(ours, "FusedMatMul"));
        Assert.Equal(TransformerEncoderBuilder.Layers, Count(ours, "BiasGelu"));
    }

    public static TheoryData<string, int, int, int> QuantizedCases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (string form in new[] { TransformerEncoderForms.QdqS8S8Channel, TransformerEncoderForms.QopU8S8Tensor, TransformerEncoderForms.DynamicU8S8Tensor })
        {
            data.Add(form, 2, 8, 21);
            data.Add(form, 3, 12, 22);
            data.Add(form, 4, 16, 23);
            data.Add(form, 1, 5, 24);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QuantizedCases))]
    public void Quantized_MatchesOrtBitForBit(string form, int batch, int seq, int inputSeed)
    {
        var proto = s_forms.Value[form];
        TensorValue x = TransformerEncoderBuilder.Input(batch, seq, inputSeed);
        AssertBitExact(proto, x, $"{form} {batch}x{seq}");
    }

    [Theory]
    [InlineData(TransformerEncoderForms.QdqS8S8Channel)]
    [InlineData(TransformerEncoderForms.QopU8S8Tensor)]
    [InlineData(TransformerEncoderForms.DynamicU8S8Tensor)]
    public void Quantized_Lowering_ChoosesTheKernelsOrtChooses(string form)
    {
        var proto = s_forms.Value[form];
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Import(proto));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(proto.ToByteArray())));
        foreach (string op in s_kernelOps.Concat(s_quantizedOps))
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{form}: {op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }

        Assert.True(Count(ours, "QLinearMatMul") + Count(ours, "DynamicQuantizeMatMul") > 0, $"{form}: no integer MatMul, the quantizer left the encoder in float");
    }

    [Fact]
    public void Fp32StaticShapes_Lowering_ChoosesTheKernelsOrtChooses()
    {
        // Exported without dynamic axes, the shape subgraphs fold, so ORT also fuses MatMul + Add into Reshape/Gemm/
        // Reshape (level 1) and Add + LayerNormalization into SkipLayerNormalization (level 2); Gelu keeps no bias.
        var proto = TransformerEncoderBuilder.Build(batch: 2, seq: 8);
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Import(proto));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(proto.ToByteArray())));
        foreach (string op in s_kernelOps)
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }

        Assert.Equal(2 * TransformerEncoderBuilder.Layers, Count(ours, "SkipLayerNormalization"));
        Assert.Equal((6 * TransformerEncoderBuilder.Layers) + 1, Count(ours, "Gemm"));
    }

    [Theory]
    [InlineData(2, 8, 31)]
    [InlineData(3, 12, 32)]
    public void Fp32StaticShapes_MatchesOrtBitForBit(int batch, int seq, int inputSeed)
    {
        var proto = TransformerEncoderBuilder.Build(batch: batch, seq: seq);
        AssertBitExact(proto, TransformerEncoderBuilder.Input(batch, seq, inputSeed), $"static {batch}x{seq}");
    }

    [Theory]
    [InlineData(TransformerEncoderForms.QdqS8S8Channel)]
    [InlineData(TransformerEncoderForms.QopU8S8Tensor)]
    public void QuantizedStaticShapes_MatchOrtBitForBit(string form)
    {
        var proto = TransformerEncoderForms.Build(form, TransformerEncoderBuilder.Build(batch: 2, seq: 8));
        AssertBitExact(proto, TransformerEncoderBuilder.Input(2, 8, 41), $"{form} static 2x8");
    }

    [Fact]
    public void Fp32_UnfusedGraph_DiffersFromOrtsFusedBits()
    {
        // Guards the test's power: without the level-2 fusions SiliconSim must not already agree with ORT's level ALL.
        var proto = TransformerEncoderBuilder.Build();
        TensorValue x = TransformerEncoderBuilder.Input(2, 8, 1);
        ModelGraph plain = OnnxModelReader.Import(proto);
        float[] ours = GraphExecutor.Run(plain, Feeds(x))[0].Value.Items<float>();
        float[] ort = OrtOracle.Run(proto.ToByteArray(), [(TransformerEncoderBuilder.InputName, x)])[0].Value.Items<float>();
        Assert.Contains(ours.Select((v, i) => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(ort[i])), d => d);
        float[] basic = OrtOracle.Run(proto.ToByteArray(), [(TransformerEncoderBuilder.InputName, x)], GraphOptimizationLevel.ORT_ENABLE_BASIC)[0].Value.Items<float>();
        Assert.Equal(basic.Select(BitConverter.SingleToInt32Bits), ours.Select(BitConverter.SingleToInt32Bits));
    }

    internal static void AssertBitExact(Graph.Onnx.Proto.ModelProto proto, TensorValue x, string label)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(proto));
        TensorValue ours = GraphExecutor.Run(lowered, Feeds(x))[0].Value;
        TensorValue ort = OrtOracle.Run(proto.ToByteArray(), [(TransformerEncoderBuilder.InputName, x)])[0].Value;
        AssertSameBits(ours, ort, label);
    }

    internal static void AssertSameBits(TensorValue actual, TensorValue expected, string label)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        if (expected.Data is float[] e)
        {
            float[] a = actual.Items<float>();
            int bad = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(e[i]));
            int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(e[i]), -1);
            Assert.True(bad == 0, $"{label}: {bad}/{e.Length} elements differ; first at {first}: {a[Math.Max(first, 0)]:R} vs ORT {e[Math.Max(first, 0)]:R}");
        }
        else
        {
            var c = TensorComparison.Compare(actual, expected);
            Assert.True(c.Passed, $"{label}: {c.Mismatches}/{c.Elements} mismatches {c.Problem}");
        }
    }

    private static Dictionary<string, TensorValue> Feeds(TensorValue x) => new(StringComparer.Ordinal) { [TransformerEncoderBuilder.InputName] = x };

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);
}
