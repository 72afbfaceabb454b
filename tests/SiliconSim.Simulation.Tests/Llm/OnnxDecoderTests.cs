using Google.Protobuf;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Llm;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Simulation.Tests.Llm;

/// <summary>An ONNX decoder's shape from its structure, and its values executed step by step against ONNX Runtime.</summary>
public sealed class OnnxDecoderTests
{
    [Theory]
    [InlineData(DecoderWeights.Float32, LlmWeightFormat.Fp16)]
    [InlineData(DecoderWeights.Int4Accuracy0, LlmWeightFormat.Int4)]
    [InlineData(DecoderWeights.Int8Accuracy0, LlmWeightFormat.Int8)]
    public void Shape_IsTheBuildersDimensions(DecoderWeights weights, LlmWeightFormat format)
    {
        OnnxDecoder d = OnnxDecoderShape.Read(DecoderBuilder.Build(weights));
        Assert.Equal(format, d.Weights);
        DecoderShape s = d.Shape;
        Assert.Equal(
            (DecoderBuilder.Hidden, DecoderBuilder.Intermediate, DecoderBuilder.Layers, DecoderBuilder.Heads, DecoderBuilder.KvHeads, DecoderBuilder.HeadSize, DecoderBuilder.Vocab, DecoderBuilder.MaxPositions),
            (s.HiddenSize, s.IntermediateSize, s.Layers, s.Heads, s.KvHeads, s.HeadDim, s.VocabSize, s.MaxPositions));
        Assert.False(s.TiedEmbeddings);
    }

    [Fact]
    public void Shape_NeedsNoTensorData()
    {
        // External weights absent: every initializer keeps its dims and names a file that does not exist.
        ModelProto model = DecoderBuilder.Build(DecoderWeights.Int4Accuracy0);
        foreach (TensorProto t in model.Graph.Initializer)
        {
            t.RawData = ByteString.Empty;
            t.FloatData.Clear();
            t.Int32Data.Clear();
            t.Int64Data.Clear();
            t.DataLocation = TensorProto.Types.DataLocation.External;
            t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "absent.onnx.data" });
        }

        Assert.Equal(DecoderBuilder.Hidden, OnnxDecoderShape.Read(model).Shape.HiddenSize);
    }

    [Fact]
    public void Shape_OfANonDecoder_SaysWhatIsMissing()
    {
        var e = Assert.Throws<FormatException>(() => OnnxDecoderShape.Read(new ModelProto { Graph = new GraphProto() }));
        Assert.Contains("GroupQueryAttention", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(DecoderBuilder.Vocab)]
    public void Request_RefusesTokenIdsOutsideTheVocabulary(long id)
    {
        var request = new GenerationRequest
        {
            Model = "decoder",
            Shape = OnnxDecoderShape.Read(DecoderBuilder.Build(DecoderWeights.Float32)).Shape,
            PromptTokens = 3,
            NewTokens = 2,
            PromptIds = [[1, id, 2]],
        };
        Assert.Equal($"--prompt-ids: token id {id} is outside the vocabulary [0, {DecoderBuilder.Vocab})", request.Problem());
    }

    [Theory]
    [InlineData(DecoderWeights.Float32, 1)]
    [InlineData(DecoderWeights.Int4Accuracy0, 2)]
    [InlineData(DecoderWeights.Int8Accuracy0, 1)]
    public void Greedy_ChoosesTheTokensOnnxRuntimeChooses(DecoderWeights weights, int batch)
    {
        const int NewTokens = 6;
        byte[] bytes = DecoderBuilder.Build(weights).ToByteArray();
        long[][] prompt = [.. Enumerable.Range(0, batch).Select(b => new long[] { 5 + b, 17, 42, 3, 88 })];
        GeneratedTokens ours = GreedyDecoding.Run(OnnxModelReader.Read(new MemoryStream(bytes)), prompt, NewTokens, ExecutionOptions.Default);
        long[][] ort = OrtGreedy(bytes, prompt, NewTokens);
        Assert.Equal(NewTokens, ours.Steps);
        for (int b = 0; b < batch; b++)
        {
            Assert.Equal(ort[b], ours.Tokens[b].ToArray());
        }
    }

    /// <summary>The same loop on ONNX Runtime: present fed back as past, argmax of the last position (lowest id on ties).</summary>
    private static long[][] OrtGreedy(byte[] model, long[][] prompt, int newTokens)
    {
        int batch = prompt.Length;
        var past = new Dictionary<string, TensorValue>();
        for (int l = 0; l < DecoderBuilder.Layers; l++)
        {
            past[$"past_key_values.{l}.key"] = TensorValue.Zeros(DataType.Float, [batch, DecoderBuilder.KvHeads, 0, DecoderBuilder.HeadSize]);
            past[$"past_key_values.{l}.value"] = TensorValue.Zeros(DataType.Float, [batch, DecoderBuilder.KvHeads, 0, DecoderBuilder.HeadSize]);
        }

        var tokens = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToArray();
        long[][] step = prompt;
        int done = 0;
        while (tokens[0].Count < newTokens)
        {
            int seq = step[0].Length;
            var feeds = new List<(string, TensorValue)>
            {
                ("input_ids", TensorValue.Create(DataType.Int64, [batch, seq], step.SelectMany(s => s).ToArray())),
                ("attention_mask", TensorValue.Create(DataType.Int64, [batch, done + seq], Enumerable.Repeat(1L, batch * (done + seq)).ToArray())),
            };
            feeds.AddRange(past.Select(p => (p.Key, p.Value)));
            var outputs = OrtOracle.Run(model, feeds).ToDictionary(o => o.Name, o => o.Value);
            float[] logits = outputs["logits"].Items<float>();
            for (int b = 0; b < batch; b++)
            {
                int offset = ((b * seq) + seq - 1) * DecoderBuilder.Vocab, best = 0;
                for (int v = 1; v < DecoderBuilder.Vocab; v++)
                {
                    best = logits[offset + v] > logits[offset + best] ? v : best;
                }

                tokens[b].Add(best);
            }

            foreach (string name in past.Keys.ToList())
            {
                past[name] = outputs["present." + name["past_key_values.".Length..]];
            }

            done += seq;
            step = [.. tokens.Select(t => new[] { t[^1] })];
        }

        return [.. tokens.Select(t => t.ToArray())];
    }
}
