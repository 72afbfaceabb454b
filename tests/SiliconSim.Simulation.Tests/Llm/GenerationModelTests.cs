using SiliconSim.Config;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Llm;

namespace SiliconSim.Simulation.Tests.Llm;

public sealed class GenerationModelTests
{
    /// <summary>A Llama-3-8B-shaped decoder (its config.json's numbers).</summary>
    private static readonly DecoderShape s_llama8B = new()
    {
        Architecture = "LlamaForCausalLM",
        HiddenSize = 4096,
        IntermediateSize = 14336,
        Layers = 32,
        Heads = 32,
        KvHeads = 8,
        HeadDim = 128,
        VocabSize = 128256,
    };

    /// <summary>A small decoder with GQA 2:1 that times in milliseconds.</summary>
    private static readonly DecoderShape s_tiny = new()
    {
        Architecture = "tiny",
        HiddenSize = 64,
        IntermediateSize = 128,
        Layers = 2,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 16,
        VocabSize = 256,
    };

    private static (AcceleratorSpec Spec, EnergyTableSpec Table) Preset(string name)
    {
        ConfigLoadResult loaded = PresetCatalog.Load(name);
        return (loaded.SpecOrThrow(), loaded.EnergyTable!);
    }

    /// <summary>MACs counted from the architecture by hand: each projection rows x in x out, attention 2 x heads x new x
    /// attended x head_dim per sequence, and the output projection for each sequence's last token.</summary>
    [Theory]
    [InlineData(1, 2048, 0)]
    [InlineData(4, 1, 300)]
    [InlineData(2, 7, 5)]
    public void PassMacs_AreTheArchitecturesByHand(int batch, int tokens, int past)
    {
        DecoderShape s = s_llama8B;
        var pass = new DecoderPass { Shape = s, Batch = batch, NewTokens = tokens, PastTokens = past, Weights = LlmWeightFormat.Int8, Kv = KvCacheFormat.Fp16 };
        long rows = (long)batch * tokens, h = 4096, q = 32 * 128, kv = 8 * 128, ff = 14336;
        long projections = rows * ((h * q) + (2 * h * kv) + (q * h) + (3 * h * ff));
        long attention = 2L * batch * 32 * tokens * (past + tokens) * 128;
        long expected = (32 * (projections + attention)) + (batch * h * 128256);
        Assert.Equal(expected, pass.Layers.OfType<MatrixLayer>().Sum(m => m.Macs));
    }

    [Fact]
    public void Llama8B_OnTpuV4_DecodeIsMemoryBound_ReadsAtLeastTheWeightsPerToken_AndPrefillIsComputeBound()
    {
        var (spec, table) = Preset("tpu-v4");
        var request = new GenerationRequest { Model = "llama-3-8b", Shape = s_llama8B, PromptTokens = 512, NewTokens = 16, Weights = LlmWeightFormat.Int4, Kv = KvCacheFormat.Fp8, DecodeSamples = 2 };
        var (result, problems) = GenerationModel.Evaluate(request, spec, table);
        Assert.True(result is not null, string.Join("; ", problems.Select(p => p.Message)));
        long weights = GenerationModel.WeightBytes(request);
        Assert.True(weights > spec.Memory.Buffers.Sum(b => b.CapacityBytes), "the weights must not fit on chip for this check");

        // Every projection's weights stream once per step; the embedding table is read only at the gathered rows.
        long streamed = weights - (2L * s_llama8B.VocabSize * s_llama8B.HiddenSize);
        Assert.True(result.DramReadBytesPerToken >= streamed, $"{result.DramReadBytesPerToken:0} B read per token < {streamed} B of streamed weights");
        Assert.True(result.IsMemoryBound(result.Decode), $"decode at {result.Decode.OpsPerDramByte:0.0} ops/B is not under the memory roof");
        Assert.False(result.IsMemoryBound(result.Prefill), $"prefill at {result.Prefill.OpsPerDramByte:0.0} ops/B is under the memory roof");

        // A decode step reads the whole cache of its past: the last step at least the cache it starts from.
        long pastCache = new DecoderPass { Shape = s_llama8B, Batch = 1, NewTokens = 1, PastTokens = 512 + 14, Weights = request.Weights, Kv = request.Kv }.KvCacheBytes;
        Assert.True(result.Decode.KvReadBytes >= 16 * pastCache * 0.9, $"KV read {result.Decode.KvReadBytes:0} B over 16 steps");
    }

    [Fact]
    public void EveryStepTimed_DecodeIsTheSumOfItsSteps_AndTheHeadlinesFollow()
    {
        var (spec, table) = Preset("phone-npu");
        var request = new GenerationRequest { Model = "tiny", Shape = s_tiny, PromptTokens = 9, NewTokens = 4, Batch = 2, Weights = LlmWeightFormat.Int8, Kv = KvCacheFormat.Int8, DecodeSamples = 4 };
        GenerationResult r = GenerationModel.Evaluate(request, spec, table).Result!;
        Assert.Equal([0, 1, 2, 3], r.SampledSteps.ToArray());
        double cycles = 0, energy = 0;
        for (int step = 0; step < 4; step++)
        {
            var alone = GenerationModel.Evaluate(request with { PromptTokens = 9 + step, NewTokens = 1, DecodeSamples = 2 }, spec, table).Result!;
            cycles += alone.Decode.Cycles;
            energy += alone.Decode.EnergyJ;
        }

        Assert.Equal(cycles, r.Decode.Cycles);
        Assert.Equal(energy, r.Decode.EnergyJ, 12);
        Assert.Equal(r.Prefill.Seconds, r.TtftS);
        Assert.Equal(r.Decode.Seconds / 4, r.TpotS);
        Assert.Equal(2 / r.TpotS, r.TokensPerS);
        Assert.Equal(r.Decode.EnergyJ / 8, r.EnergyPerTokenJ);
    }

    [Theory]
    [InlineData(1, 5, new[] { 0 })]
    [InlineData(2, 5, new[] { 0, 1 })]
    [InlineData(128, 5, new[] { 0, 32, 64, 95, 127 })]
    [InlineData(10, 2, new[] { 0, 9 })]
    public void Samples_AreFirstLastAndEvenlySpaced(int steps, int count, int[] expected) =>
        Assert.Equal(expected, GenerationModel.Samples(steps, count));

    [Theory]
    [InlineData(0, 1, 1, "--prompt-tokens: must be a positive integer, got 0")]
    [InlineData(1, 0, 1, "--new-tokens: must be a positive integer, got 0")]
    [InlineData(1, 1, -1, "--batch: must be a positive integer, got -1")]
    [InlineData(8000, 193, 1, "--prompt-tokens + --new-tokens: 8193 tokens exceed the model's max_position_embeddings 8192")]
    [InlineData(4096, 4096, 256, "--batch x (--prompt-tokens + --new-tokens): 2097152 tokens in flight, more than the 1048576 SiliconSim times")]
    public void BadRequests_AreProblems_NotRuns(int prompt, int tokens, int batch, string message)
    {
        var (spec, table) = Preset("phone-npu");
        var request = new GenerationRequest { Model = "m", Shape = s_llama8B with { MaxPositions = 8192 }, PromptTokens = prompt, NewTokens = tokens, Batch = batch };
        var (result, problems) = GenerationModel.Evaluate(request, spec, table);
        Assert.Null(result);
        Assert.Equal(message, Assert.Single(problems).Message);
    }
}
