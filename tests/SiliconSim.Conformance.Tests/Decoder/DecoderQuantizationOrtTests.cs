using Google.Protobuf;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// `compare`'s W4A16 decoder (<see cref="MatMulNBitsQuantizer"/>, which DecoderQuantization calls for int4, on <see cref="DecoderBuilder"/>'s fp32 decoder): every
/// projection, lm_head included, becomes MatMulNBits, and SiliconSim's execution of the quantized model equals ONNX
/// Runtime's bit for bit (prefill and a decode step), so the agreement `compare` reports for int4 is ORT's.
/// </summary>
public sealed class DecoderQuantizationOrtTests
{
    [Theory]
    [InlineData(2, 7, 0)]
    [InlineData(1, 1, 9)]
    public void W4A16Decoder_EveryProjectionIsMatMulNBits_AndRunsAsOrtDoes(int batch, int sequence, int past)
    {
        ModelGraph fp32 = OnnxModelReader.Import(DecoderBuilder.Build(DecoderWeights.Float32));
        ModelGraph int4 = MatMulNBitsQuantizer.Quantize(fp32);

        // Per layer qkv, o, gate, up, down; then lm_head.
        Assert.Equal((5 * DecoderBuilder.Layers) + 1, int4.Nodes.Count(n => n.OpType == "MatMulNBits" && n.Domain == "com.microsoft"));
        Assert.DoesNotContain(int4.Nodes, n => n.OpType == "MatMul");
        Assert.All(int4.Nodes.Where(n => n.OpType == "MatMulNBits"), n => Assert.Equal((4L, 32L), (n.Attributes["bits"].Int, n.Attributes["block_size"].Int)));

        byte[] bytes = OnnxModelWriter.ToProto(int4).ToByteArray();
        var feeds = DecoderBuilder.Feeds(batch, sequence, past, seed: 4000 + sequence);
        var expected = OrtOracle.Run(bytes, feeds);
        var ours = GraphExecutor.Run(OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(bytes))), feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));
        int bad = OrtDifferential.Compare(expected, ours, out string first, out long compared);
        Assert.True(bad == 0, $"{bad}/{compared} elements differ; {first}");
    }
}
