using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Llm;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Simulation.Tests.Llm;

/// <summary>
/// <see cref="KvCacheRounding"/> on vectors whose scales are powers of two, worked by hand (ties to even in every
/// format), and <see cref="NextTokenAgreement.PredictionsThroughCache"/> held to <see cref="GreedyDecoding"/> (itself
/// held to ONNX Runtime's loop): fed the greedy tokens with a float32 cache, each step predicts the next greedy token.
/// </summary>
public sealed class KvCacheRoundingTests
{
    [Fact]
    public void Int8_ScaleIsAmaxOver127_TiesToEven()
    {
        // amax 127/64: scale 1/64, exact in fp16. 0.5 → 32; 0.5/64 → 0.5 → 0 (even); 1.5/64 → 2; −amax → −127.
        float[] v = [0.5f, 0.5f / 64, 1.5f / 64, -127f / 64];
        KvCacheRounding.Round(v, KvCacheFormat.Int8);
        Assert.Equal([0.5f, 0f, 2f / 64, -127f / 64], v);
    }

    [Fact]
    public void Fp8_ScaleIsAmaxOver448_TiesToEven()
    {
        // amax 448: scale 1. 1.0625 lies halfway between 1 and 1.125 → 1; 17 halfway between 16 and 18 → 16.
        float[] v = [448f, 1.0625f, 17f, -0.5f];
        KvCacheRounding.Round(v, KvCacheFormat.Fp8);
        Assert.Equal([448f, 1f, 16f, -0.5f], v);
    }

    [Fact]
    public void Fp16_And_Fp4_RoundEachValue()
    {
        float[] h = [1f / 3];
        KvCacheRounding.Round(h, KvCacheFormat.Fp16);
        Assert.Equal(0.333251953125f, h[0]);

        // NVFP4 over one block: amax 6 puts the block scale on 448 and the decoded scale on 1 (up to the fp32 tensor
        // scale's rounding). 1.25 is halfway between E2M1's 1 and 1.5 → 1; 5 halfway between 4 and 6 → 4.
        float[] f = [6f, 1.25f, 5f, -3f, .. new float[12]];
        KvCacheRounding.Round(f, KvCacheFormat.Fp4);
        Assert.Equal([6f, 1f, 4f, -3f], f.Take(4).Select(x => MathF.Round(x, 4)));
    }

    [Fact]
    public void Store_RoundsOnlyTheNewTokens()
    {
        var cache = TensorValue.FromFloats([1, 1, 2, 2], [1f / 3, 1f / 3, 1f / 3, 1f / 3]);
        float[] stored = KvCacheRounding.Store(cache, 1, KvCacheFormat.Fp16).Items<float>();
        Assert.Equal([1f / 3, 1f / 3, 0.333251953125f, 0.333251953125f], stored);
    }

    [Fact]
    public void ThroughAFloatCache_TheGreedyTokensPredictTheirSuccessors()
    {
        ModelGraph fp32 = OnnxModelReader.Import(DecoderBuilder.Build(DecoderWeights.Float32));
        long[][] prompt = [[7], [50]];
        GeneratedTokens greedy = GreedyDecoding.Run(fp32, prompt, newTokens: 6);
        long[][] tokens = [.. prompt.Select((p, b) => (long[])[p[0], .. greedy.Tokens[b].Take(5)])];
        int[][] predicted = NextTokenAgreement.PredictionsThroughCache(fp32, tokens, spec: null, kv: null);
        for (int b = 0; b < prompt.Length; b++)
        {
            Assert.Equal(greedy.Tokens[b].Select(t => (int)t), predicted[b]);
        }
    }
}
