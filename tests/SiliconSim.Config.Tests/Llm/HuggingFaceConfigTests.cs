using SiliconSim.Config.Llm;
using SiliconSim.Simulation.Llm;
using SiliconSim.TestSupport;

namespace SiliconSim.Config.Tests.Llm;

public sealed class HuggingFaceConfigTests
{
    private static DecoderShape Bundled(string name) =>
        HuggingFaceConfig.Parse(File.ReadAllText(Path.Combine(Repository.Root, "workloads", "llm", name, "config.json")));

    /// <summary>Parameter counts as Meta publishes them on the models' cards (8.03 B, 1.24 B, 70.6 B), to the parameter.</summary>
    [Theory]
    [InlineData("llama-3-8b", 8_030_261_248L)]
    [InlineData("llama-3.2-1b", 1_235_814_400L)]
    [InlineData("llama-3-70b", 70_553_706_496L)]
    public void BundledLlamaConfigs_GiveThePublishedParameterCounts(string name, long parameters) =>
        Assert.Equal(parameters, Bundled(name).ParameterCount);

    [Fact]
    public void Llama3_8B_HasGroupedQueryAttentionFourToOne_AndADerivedHeadDim()
    {
        DecoderShape s = Bundled("llama-3-8b");
        Assert.Equal(("LlamaForCausalLM", 32, 8, 4, 128, false, 8192), (s.Architecture, s.Heads, s.KvHeads, s.GroupSize, s.HeadDim, s.TiedEmbeddings, s.MaxPositions));
    }

    [Fact]
    public void Defaults_AreTransformers()
    {
        // No num_key_value_heads: multi-head attention; Gemma ties its embeddings unless told otherwise.
        DecoderShape s = HuggingFaceConfig.Parse("""{"model_type": "gemma", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "head_dim": 32, "vocab_size": 100}""");
        Assert.Equal((4, 32, true, "gemma"), (s.KvHeads, s.HeadDim, s.TiedEmbeddings, s.Architecture));
        DecoderShape q = HuggingFaceConfig.Parse("""{"model_type": "qwen2", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100}""");
        Assert.Equal((2, 16, false), (q.KvHeads, q.HeadDim, q.TiedEmbeddings));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[1, 2]", "not a config object: the top level is a JSON array")]
    [InlineData("""{"hidden_size": 64}""", "model_type: missing (is this a Hugging Face config.json?)")]
    [InlineData("""{"model_type": "bert"}""", "model_type: 'bert' is not a decoder SiliconSim times; supported: llama, mistral, qwen2, phi3, gemma, gemma2")]
    [InlineData("""{"model_type": "llama", "hidden_size": "4096"}""", "hidden_size: must be an integer, got \"4096\"")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 9}""", "intermediate_size: missing")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "intermediate_size": 8, "num_attention_heads": 4, "num_key_value_heads": 3, "num_hidden_layers": 2, "vocab_size": 9}""", "num_key_value_heads: 3 does not divide num_attention_heads 4")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "intermediate_size": 8, "num_attention_heads": 0, "num_hidden_layers": 2, "vocab_size": 9}""", "num_attention_heads: must be a positive integer, got 0")]
    [InlineData("""{"model_type": "llama", "hidden_size": 63, "intermediate_size": 8, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 9}""", "head_dim: missing, and hidden_size 63 is not a multiple of num_attention_heads 4")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "intermediate_size": 8, "num_attention_heads": 4, "num_hidden_layers": -2, "vocab_size": 9}""", "num_hidden_layers: must be a positive integer, got -2")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "intermediate_size": 8, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 9, "tie_word_embeddings": 1}""", "tie_word_embeddings: must be true or false, got 1")]
    [InlineData("""{"model_type": "llama", "hidden_size": 1048576, "intermediate_size": 8, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 9}""", "hidden_size: 1048576 is beyond any decoder SiliconSim times (at most 131072)")]
    [InlineData("""{"model_type": "llama", "hidden_size": 64, "intermediate_size": 8, "num_attention_heads": 4096, "head_dim": 4096, "num_hidden_layers": 2, "vocab_size": 9}""", "num_attention_heads x head_dim: 16777216 is beyond any decoder SiliconSim times (at most 1048576)")]
    public void BadConfigs_NameTheFieldAndTheProblem(string json, string message)
    {
        var e = Assert.Throws<HuggingFaceConfigException>(() => HuggingFaceConfig.Parse(json));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
