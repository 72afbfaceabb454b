using System.Text;
using System.Text.Json;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

public sealed class GenerateCommandTests
{
    private static readonly string s_llama1B = Path.Combine(Repository.Root, "workloads", "llm", "llama-3.2-1b");

    [Fact]
    public void Generate_WritesTheHeadlinesAndBothPhases()
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "gen");
        var (exit, stdout, stderr) = CliRunner.Run("generate", "--model", s_llama1B, "--config", "phone-npu", "--prompt-tokens", "64", "--new-tokens", "8", "--weights", "nvfp4", "--kv", "fp8", "--out", outDir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("llama-3.2-1b (LlamaForCausalLM, 1.24 B parameters) on phone-npu: weights nvfp4", stdout, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "generate.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal("siliconsim.generate/1", root.GetProperty("schema").GetString());
        foreach (string key in new[] { "ttft_s", "tpot_s", "tokens_per_s", "energy_per_token_j", "dram_read_bytes_per_token" })
        {
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        }

        JsonElement prefill = root.GetProperty("prefill"), decode = root.GetProperty("decode");
        Assert.Equal(prefill.GetProperty("seconds").GetDouble(), root.GetProperty("ttft_s").GetDouble());
        Assert.Equal(decode.GetProperty("seconds").GetDouble() / 8, root.GetProperty("tpot_s").GetDouble(), 15);
        Assert.Equal("memory", decode.GetProperty("roofline").GetProperty("bound").GetString());

        // The cache after 64 + 8 tokens: 16 layers x (K + V) x 8 heads x 72 tokens x 64 dims, one fp8 byte each.
        Assert.Equal(16L * 2 * 8 * 72 * 64, decode.GetProperty("kv_cache_bytes").GetInt64());
        double energy = decode.GetProperty("energy_by_component_j").EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.Equal(decode.GetProperty("energy_j").GetDouble(), energy, 9);
    }

    [Fact]
    public void Generate_OnnxDecoder_TimesItsShapeAndExecutesItsTokens()
    {
        using var dir = new TempFolder();
        string model = Path.Combine(dir.Path, "decoder.onnx");
        File.WriteAllBytes(model, Google.Protobuf.MessageExtensions.ToByteArray(SiliconSim.TestSupport.Models.DecoderBuilder.Build(SiliconSim.TestSupport.Models.DecoderWeights.Int4Accuracy0)));
        string outDir = Path.Combine(dir.Path, "gen");
        var (exit, stdout, stderr) = CliRunner.Run("generate", "--model", model, "--prompt-ids", "5,17,42,3,88", "--new-tokens", "6", "--out", outDir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("weights int4", stdout, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "generate.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal(5, root.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, root.GetProperty("executed_graph_runs").GetInt32());
        long[] tokens = [.. root.GetProperty("generated_tokens")[0].EnumerateArray().Select(t => t.GetInt64())];
        Assert.Equal(6, tokens.Length);
        Assert.All(tokens, t => Assert.InRange(t, 0, SiliconSim.TestSupport.Models.DecoderBuilder.Vocab - 1));
        Assert.Contains("sequence 0: generated " + string.Join(' ', tokens), stdout, StringComparison.Ordinal);

        // The same tokens on one thread as on all cores.
        var (exit1, stdout1, stderr1) = CliRunner.Run("generate", "--model", model, "--prompt-ids", "5,17,42,3,88", "--new-tokens", "6", "--threads", "1", "--out", outDir);
        Assert.True(exit1 == 0, stderr1);
        Assert.Contains("sequence 0: generated " + string.Join(' ', tokens), stdout1, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--prompt-ids", "5,x", "siliconsim: error: --prompt-ids: 'x' is not a token id (a non-negative integer); give comma-separated ids or a .npy file")]
    [InlineData("--prompt-ids", "5,400", "siliconsim: error: --prompt-ids: token id 400 is outside the vocabulary [0, 96)")]
    public void Generate_OnnxDecoder_BadPromptIds_OneLine(string option, string value, string expected)
    {
        using var dir = new TempFolder();
        string model = Path.Combine(dir.Path, "decoder.onnx");
        File.WriteAllBytes(model, Google.Protobuf.MessageExtensions.ToByteArray(SiliconSim.TestSupport.Models.DecoderBuilder.Build(SiliconSim.TestSupport.Models.DecoderWeights.Float32)));
        var (exit, _, stderr) = CliRunner.Run("generate", "--model", model, option, value, "--new-tokens", "2", "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal(expected, stderr.Trim());
    }

    [Theory]
    [InlineData("--weights", "int3", "siliconsim: error: --weights: 'int3' is not a format; use one of fp16, int8, int4, fp8, mxfp4, nvfp4")]
    [InlineData("--kv", "fp2", "siliconsim: error: --kv: 'fp2' is not a format; use one of fp16, int8, fp8, fp4")]
    [InlineData("--prompt-tokens", "0", "siliconsim: error: --prompt-tokens: must be a positive integer, got 0")]
    [InlineData("--new-tokens", "200000", "siliconsim: error: --prompt-tokens + --new-tokens: 200128 tokens exceed the model's max_position_embeddings 131072")]
    public void BadOptions_AreOneLineAndExitTwo(string option, string value, string message)
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("generate", "--model", s_llama1B, "--config", "phone-npu", option, value, "--out", Path.Combine(dir.Path, "g"));
        Assert.Equal(2, exit);
        Assert.Equal(message, stderr.Trim());
    }

    [Fact]
    public void WithoutConfig_ThePhoneNpuTimesIt()
    {
        using var dir = new TempFolder();
        var (exit, stdout, stderr) = CliRunner.Run("generate", "--model", s_llama1B, "--prompt-tokens", "16", "--new-tokens", "2", "--out", Path.Combine(dir.Path, "g"));
        Assert.True(exit == 0, stderr);
        Assert.Contains(" on phone-npu: weights int4", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BadModelFiles_NameTheFile()
    {
        using var dir = new TempFolder();
        string bert = dir.File("bert/config.json", Encoding.UTF8.GetBytes("""{"model_type": "bert", "hidden_size": 768}"""));
        var (exit, _, stderr) = CliRunner.Run("generate", "--model", Path.GetDirectoryName(bert)!, "--config", "phone-npu");
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {bert}: model_type: 'bert' is not a decoder SiliconSim times; supported: llama, mistral, qwen2, phi3, gemma, gemma2", stderr.Trim());

        string missing = Path.Combine(dir.Path, "none", "config.json");
        (exit, _, stderr) = CliRunner.Run("generate", "--model", missing, "--config", "phone-npu");
        Assert.Equal(2, exit);
        Assert.StartsWith($"siliconsim: error: {missing}: ", stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnArrayWithoutTheFormatsMultipliers_IsABadConfig_SaidOnceWithACount()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("generate", "--model", s_llama1B, "--config", "tpu-v1", "--weights", "int4", "--prompt-tokens", "8", "--new-tokens", "2", "--out", Path.Combine(dir.Path, "g"));
        Assert.Equal(2, exit);
        string[] lines = stderr.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("array.operand_types: layer 'L0.q_proj' (MatMul) needs float16 operands, but the array supports only [uint8, int8]", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^siliconsim: error: \.\.\. and \d+ more layers with problems like these$", lines[3].TrimEnd('\r'));
    }
}
