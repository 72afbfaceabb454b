using SiliconSim.Conformance.Tests.ZooModels;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics.Kernels.Blockwise;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// The seeded Llama-style decoder of <see cref="DecoderBuilder"/> (2 layers, GQA 2:1, RoPE inside GroupQueryAttention,
/// RMSNorm, SiLU-gated MLP), in each weight format, runs through SiliconSim's import, ORT lowering and executor and
/// through ONNX Runtime (level ALL, one thread): logits and every present key/value must agree bit for bit, for a prefill
/// (empty past) and for a decode step of one token after a past. The fused ops are checked against ORT's own
/// optimised graph, so the lowering fuses what ORT fuses. The QDQ weight-only form (blocked int4 DequantizeLinear →
/// MatMul on every projection) checks ORT's DQ → MatMulNBits rewrite end to end. At accuracy_level 4 (A quantized to int8 per block; 4-bit and
/// 8-bit weights) the comparison needs a host with MLAS's AVX512-VNNI dispatch; elsewhere the test checks that SiliconSim refuses.
/// </summary>
public sealed class DecoderConformanceTests
{
    public static TheoryData<DecoderWeights, int, int, int> Cases() => new()
    {
        { DecoderWeights.Float32, 1, 6, 0 },
        { DecoderWeights.Float32, 2, 1, 9 },
        { DecoderWeights.Float32, 1, 3, 5 },
        { DecoderWeights.Int4Accuracy0, 1, 6, 0 },
        { DecoderWeights.Int4Accuracy0, 2, 1, 9 },
        { DecoderWeights.Int4Accuracy4, 1, 6, 0 },
        { DecoderWeights.Int4Accuracy4, 2, 1, 9 },
        { DecoderWeights.Int4Accuracy4, 1, 3, 5 },
        { DecoderWeights.Int8Accuracy0, 1, 6, 0 },
        { DecoderWeights.Int8Accuracy0, 2, 1, 9 },
        { DecoderWeights.Int8Accuracy4, 1, 6, 0 },
        { DecoderWeights.Int8Accuracy4, 2, 1, 9 },
        { DecoderWeights.Int8Accuracy4, 1, 3, 5 },
        { DecoderWeights.QdqInt4, 1, 6, 0 },
        { DecoderWeights.QdqInt4, 2, 1, 9 },
        { DecoderWeights.QdqInt4, 1, 3, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoder_PrefillAndDecode_MatchesOrtBitForBit(DecoderWeights weights, int batch, int sequence, int past)
    {
        var model = DecoderBuilder.Build(weights);
        byte[] bytes = DecoderBuilder.ToBytes(model);
        var feeds = DecoderBuilder.Feeds(batch, sequence, past, seed: (batch * 100) + (sequence * 10) + past);
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(model));
        if ((weights is DecoderWeights.Int4Accuracy4 or DecoderWeights.Int8Accuracy4 or DecoderWeights.QdqInt4) && !MatMulNBitsKernel.CompInt8HostIsModelled)
        {
            // ORT runs another MLAS CompInt8 kernel on this host; SiliconSim must refuse naming the node and the case.
            var e = Assert.Throws<ExecutionException>(() => GraphExecutor.Run(lowered, feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal)));
            Assert.Contains("MatMulNBits", e.Message, StringComparison.Ordinal);
            Assert.Contains("AVX512-VNNI", e.Message, StringComparison.Ordinal);
            return;
        }

        var expected = OrtOracle.Run(bytes, feeds);
        var ours = GraphExecutor.Run(lowered, feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));

        Assert.Equal(1 + (2 * DecoderBuilder.Layers), expected.Count);
        int bad = OrtDifferential.Compare(expected, ours, out string first, out long compared);
        Assert.True(bad == 0, $"{weights}, batch {batch}, sequence {sequence}, past {past}: {bad}/{compared} elements differ; {first}");
        Assert.Equal(batch * sequence * DecoderBuilder.Vocab, expected[0].Value.Length);
    }

    [Theory]
    [InlineData(DecoderWeights.Float32)]
    [InlineData(DecoderWeights.Int4Accuracy0)]
    [InlineData(DecoderWeights.Int4Accuracy4)]
    [InlineData(DecoderWeights.Int8Accuracy4)]
    [InlineData(DecoderWeights.QdqInt4)]
    public void Decoder_Lowering_FusesWhatOrtFuses(DecoderWeights weights)
    {
        var model = DecoderBuilder.Build(weights);
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(DecoderBuilder.ToBytes(model), Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL)));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(model));
        foreach (string op in new[] { "QuickGelu", "Sigmoid", "GroupQueryAttention", "SkipSimplifiedLayerNormalization", "SimplifiedLayerNormalization", "MatMulNBits", "MatMul", "DequantizeLinear" })
        {
            Assert.True(Count(ort, op) == Count(lowered, op), $"{op}: ORT's optimised graph has {Count(ort, op)}, SiliconSim's lowering {Count(lowered, op)}");
        }

        Assert.Equal(DecoderBuilder.Layers, Count(lowered, "QuickGelu"));
        if (weights == DecoderWeights.QdqInt4)
        {
            // Every projection's DQ + MatMul (qkv, o, gate, up, down per layer, and lm_head) became MatMulNBits.
            Assert.Equal((5 * DecoderBuilder.Layers) + 1, Count(lowered, "MatMulNBits"));
            Assert.Equal(0, Count(lowered, "DequantizeLinear"));
        }
    }

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);
}
