using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Llm;
using SiliconSim.Simulation.Tests.Plan;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Simulation.Tests.Llm;

/// <summary>
/// `compare`'s decoder formats (<see cref="DecoderQuantization"/>) on <see cref="DecoderBuilder"/>'s fp32 decoder: each
/// quantizes exactly the projections (per layer qkv, o, gate, up, down; lm_head) and, lowered for an LLM preset that
/// multiplies fp8 and fp4, the low-precision ones run on the array's own MACs, as a CNN's do.
/// </summary>
public sealed class DecoderQuantizationTests
{
    private const int Projections = (5 * DecoderBuilder.Layers) + 1;

    private static readonly ModelGraph s_fp32 = OnnxModelReader.Import(DecoderBuilder.Build(DecoderWeights.Float32));

    private static readonly long[][] s_tokens = [[3, 14, 15, 92, 65, 35], [8, 9, 79, 32, 38, 46]];

    [Fact]
    public void Int8_IsQdqOnTheProjections_PerChannelWeights_Int8Activations()
    {
        ModelGraph int8 = DecoderQuantization.Quantize(s_fp32, LlmWeightFormat.Int8, DecoderFeeds.Prefill(s_fp32, s_tokens));
        List<Node> matMuls = [.. int8.Nodes.Where(n => n.OpType == "MatMul")];
        Assert.Equal(Projections, matMuls.Count);
        foreach (Node m in matMuls)
        {
            Node weightDq = int8.Nodes.Single(n => n.Outputs.Contains(m.Inputs[1]));
            Node activationDq = int8.Nodes.Single(n => n.Outputs.Contains(m.Inputs[0]));
            Assert.Equal(("DequantizeLinear", "DequantizeLinear"), (weightDq.OpType, activationDq.OpType));
            Assert.Equal(DataType.Int8, int8.Initializers[weightDq.Inputs[0]].Type);
            Assert.Equal(int8.Initializers[weightDq.Inputs[0]].Shape[1], int8.Initializers[weightDq.Inputs[1]].Length); // one scale per output channel
            Assert.Equal(DataType.Int8, int8.Initializers[activationDq.Inputs[2]].Type);
        }

        // Attention, norms and the embedding keep fp32: nothing but the projections is quantized.
        Assert.Equal(DecoderBuilder.Layers, int8.Nodes.Count(n => n.OpType == "GroupQueryAttention"));
        Assert.Equal(DataType.Float, int8.Initializers["model.embed_tokens.weight"].Type);
    }

    [Theory]
    [InlineData(LlmWeightFormat.Fp8)]
    [InlineData(LlmWeightFormat.Mxfp4)]
    [InlineData(LlmWeightFormat.Nvfp4)]
    public void LowPrecision_RunsOnTheArraysMacs(LlmWeightFormat format)
    {
        ModelGraph graph = DecoderQuantization.Quantize(s_fp32, format, DecoderFeeds.Prefill(s_fp32, s_tokens));
        AcceleratorSpec spec = RealModels.Preset("phone-npu").SpecOrThrow();
        ModelGraph lowered = AcceleratorLowering.Lower(graph, spec);
        Assert.Equal(Projections, lowered.Nodes.Count(LowPrecisionArrayMappingIsArrayOp));
        Assert.DoesNotContain(lowered.Nodes, n => n.OpType == "MatMul");
    }

    [Fact]
    public void Agreement_OfAGraphWithItself_IsEveryPosition_AndACountedDifferenceIsSeen()
    {
        int[][] fp32 = NextTokenAgreement.Predictions(s_fp32, s_tokens, spec: null);
        Assert.Equal(new NextTokenAgreementResult(12, 12), NextTokenAgreement.Compare(fp32, fp32));
        int[][] changed = [.. fp32.Select(r => r.ToArray())];
        changed[1][4] = (changed[1][4] + 1) % DecoderBuilder.Vocab;
        Assert.Equal(11 / 12.0, NextTokenAgreement.Compare(fp32, changed).Fraction);
    }

    [Fact]
    public void Argmax_TakesTheLowestIdAmongEquals_AndNeverNaN()
    {
        var logits = TensorValue.FromFloats([1, 2, 3], [float.NaN, 1f, 1f, 2f, 5f, 5f]);
        Assert.Equal([1, 1], NextTokenAgreement.Argmax(logits, 1, 2)[0]);
    }

    private static bool LowPrecisionArrayMappingIsArrayOp(Node n) => Graph.Passes.LowPrecisionArrayMapping.IsArrayOp(n);
}
