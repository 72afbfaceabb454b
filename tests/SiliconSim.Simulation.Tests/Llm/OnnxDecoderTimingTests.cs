using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Tests.Plan;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Simulation.Tests.Llm;

/// <summary>An ONNX decoder as ONNX Runtime GenAI's builder writes it (DecoderBuilder) runs and times on an LLM preset:
/// MatMulNBits and GroupQueryAttention are matrix layers with the architecture's MACs.</summary>
public sealed class OnnxDecoderTimingTests
{
    [Theory]
    [InlineData(DecoderWeights.Int4Accuracy0, 4, 0)]
    [InlineData(DecoderWeights.Int8Accuracy0, 1, 9)]
    public void DecoderStep_ExecutesAndTimes_WithTheArchitecturesMacs(DecoderWeights weights, int tokens, int past)
    {
        ModelGraph model = OnnxModelReader.Read(new MemoryStream(DecoderBuilder.ToBytes(DecoderBuilder.Build(weights))));
        var request = new WorkloadRequest
        {
            Name = "decoder",
            Model = model,
            Inputs = DecoderBuilder.Feeds(1, tokens, past, seed: 7).ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal),
        };
        var loaded = RealModels.Preset("tpu-v4");
        AcceleratorSpec spec = loaded.SpecOrThrow();
        PreparedWorkload prepared = SimulationPipeline.Prepare(request, spec);
        Assert.Equal(ValuesOutcome.Executed, prepared.Values);
        RunOutcome outcome = SimulationPipeline.Evaluate(prepared, spec, loaded.EnergyTable!, new EvaluationOptions { ThermalSeconds = 0 });
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems.Select(p => p.Message)));

        // By hand: per layer a packed QKV projection (64 -> 64 + 2 x 32), o (64 -> 64), gate and up (64 -> 128), down
        // (128 -> 64); attention 2 x heads x new x total x head size; the head 64 -> 96 for every new token.
        int h = DecoderBuilder.Hidden, kv = DecoderBuilder.KvHeads * DecoderBuilder.HeadSize, ff = DecoderBuilder.Intermediate, total = past + tokens;
        long nbits = tokens * ((long)h * (h + (2 * kv)) + ((long)h * h) + (3L * h * ff));
        long attention = 2L * DecoderBuilder.Heads * tokens * total * DecoderBuilder.HeadSize;
        var layers = prepared.Layers;
        long head = (long)tokens * h * DecoderBuilder.Vocab;
        Assert.Equal((DecoderBuilder.Layers * nbits) + head, layers.OfType<MatrixLayer>().Where(m => m.OpType == "MatMulNBits").Sum(m => m.Macs));
        Assert.Equal(DecoderBuilder.Layers * attention, layers.OfType<MatrixLayer>().Where(m => m.OpType == "GroupQueryAttention").Sum(m => m.Macs));
        Assert.DoesNotContain(layers.OfType<VectorLayer>(), v => v.OpType is "MatMulNBits" or "GroupQueryAttention");
        Assert.True(outcome.Result!.Performance.TotalCycles > 0);
    }
}
