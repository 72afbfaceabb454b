using System.Globalization;
using System.Text.Json;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// `siliconsim compare` on an fp32 ONNX decoder (<see cref="DecoderBuilder"/>'s seeded one): every format's row, fp32's
/// exact agreement with itself, timings equal to what `generate` reports for the same format and config, and one-line
/// errors for tokens past the vocabulary and for options of the other kind of model.
/// </summary>
public sealed class CompareDecoderTests
{
    private static readonly string[] s_formats = ["fp32", "int8", "int4", "fp8", "mxfp4", "nvfp4"];

    private static string WriteDecoder(TempFolder dir)
    {
        string model = Path.Combine(dir.Path, "decoder.onnx");
        File.WriteAllBytes(model, DecoderBuilder.ToBytes(DecoderBuilder.Build(DecoderWeights.Float32)));
        return model;
    }

    /// <summary>Three sequences of 12 seeded token ids, as an int64 .npy.</summary>
    private static string WriteTokens(TempFolder dir)
    {
        var r = new Random(15);
        long[] ids = [.. Enumerable.Range(0, 3 * 12).Select(_ => (long)r.Next(DecoderBuilder.Vocab))];
        string path = Path.Combine(dir.Path, "tokens.npy");
        CompareCommandTests.WriteInt64Npy(path, ids, [3, 12]);
        return path;
    }

    [Fact]
    public void Compare_Decoder_EveryFormat_SelfAgreementIsOne_TimingsAreGenerates()
    {
        using var dir = new TempFolder();
        string model = WriteDecoder(dir), tokens = WriteTokens(dir), outDir = Path.Combine(dir.Path, "cmp");
        var (exit, stdout, stderr) = CliRunner.Run("compare", "--model", model, "--tokens", tokens, "--formats", string.Join(',', s_formats),
            "--new-tokens", "16", "--kv", "fp8", "--threads", "2", "--out", outDir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("next-token agreement with fp32 over 36 positions", stdout, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "compare.json")));
        JsonElement[] rows = [.. doc.RootElement.EnumerateArray()];
        Assert.Equal(s_formats, rows.Select(r => r.GetProperty("format").GetString()));
        string[] csv = File.ReadAllLines(Path.Combine(outDir, "compare.csv"));
        Assert.Equal(1 + s_formats.Length, csv.Length);
        Assert.StartsWith("format,config,weights_timed_as,kv_cache,next_token_agreement,", csv[0], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));

        // fp32 against itself: the same graph, the same bits, every position.
        Assert.Equal(1.0, rows[0].GetProperty("next_token_agreement").GetDouble());
        Assert.Equal(36, rows[0].GetProperty("agreeing_positions").GetInt64());
        foreach (JsonElement row in rows)
        {
            Assert.Equal(36, row.GetProperty("positions").GetInt64());
            Assert.InRange(row.GetProperty("next_token_agreement").GetDouble(), 0, 1);
            Assert.InRange(row.GetProperty("agreement_through_kv_cache").GetDouble(), 0, 1);
            Assert.Equal("fp8", row.GetProperty("kv_cache").GetString());
            Assert.Equal(12, row.GetProperty("prompt_tokens").GetInt32());

            // The same generation timed by `generate` (fp32 without --weights: the decoder's own float format, fp16).
            string format = row.GetProperty("format").GetString()!;
            string genOut = Path.Combine(dir.Path, "gen_" + format);
            string[] weights = format == "fp32" ? [] : ["--weights", format];
            var (genExit, _, genErr) = CliRunner.Run(["generate", "--model", model, "--prompt-tokens", "12", "--new-tokens", "16", "--kv", "fp8", .. weights, "--out", genOut]);
            Assert.True(genExit == 0, genErr);
            using JsonDocument gen = JsonDocument.Parse(File.ReadAllText(Path.Combine(genOut, "generate.json")));
            foreach (string key in new[] { "ttft_s", "tokens_per_s", "energy_per_token_j" })
            {
                Assert.Equal(gen.RootElement.GetProperty(key).GetDouble(), row.GetProperty(key).GetDouble());
            }

            Assert.Equal(format == "fp32" ? "fp16" : format, row.GetProperty("weights_timed_as").GetString());
        }
    }

    [Fact]
    public void Compare_Decoder_SameRowsAtAnyThreadCount()
    {
        using var dir = new TempFolder();
        string model = WriteDecoder(dir), tokens = WriteTokens(dir);
        string Csv(string threads)
        {
            string outDir = Path.Combine(dir.Path, "t" + threads);
            var (exit, _, stderr) = CliRunner.Run("compare", "--model", model, "--tokens", tokens, "--formats", "fp32,int8,nvfp4", "--new-tokens", "4", "--threads", threads, "--out", outDir);
            Assert.True(exit == 0, stderr);
            return File.ReadAllText(Path.Combine(outDir, "compare.csv"));
        }

        Assert.Equal(Csv("1"), Csv("2"));
    }

    [Fact]
    public void Compare_Decoder_CommaSeparatedTokens_OneSequence()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", WriteDecoder(dir), "--tokens", "5,17,42,3,88", "--formats", "fp32,int4", "--new-tokens", "4", "--out", Path.Combine(dir.Path, "o"));
        Assert.True(exit == 0, stderr);
        string[] fp32 = File.ReadAllLines(Path.Combine(dir.Path, "o", "compare.csv"))[1].Split(',');
        Assert.Equal(("1", "5", "5"), (fp32[4], fp32[5], fp32[6]));
    }

    [Theory]
    [InlineData("--tokens", "5,96", "siliconsim: error: --tokens: token id 96 is outside the vocabulary [0, 96)")]
    [InlineData("--tokens", "5,-1", "siliconsim: error: --tokens: '-1' is not a token id (a non-negative integer); give comma-separated ids or a .npy file")]
    [InlineData("--formats", "fp32,fp16", "siliconsim: error: --formats: unknown format 'fp16' for a decoder; expected fp32, int8, int4, fp8, mxfp4, nvfp4 (generate's --weights names; fp32 is the reference, timed as the decoder's own format)")]
    [InlineData("--kv", "int3", "siliconsim: error: --kv: 'int3' is not a format; use one of fp16, int8, fp8, fp4")]
    [InlineData("--calib", "x.npy", "siliconsim: error: --calib: is for a CNN or MLP; {model} is a decoder (inputs input_ids and past_key_values.N), compared on --tokens")]
    [InlineData("--new-tokens", "62", "siliconsim: error: --prompt-tokens + --new-tokens: 65 tokens exceed the model's max_position_embeddings 64")]
    public void Compare_Decoder_BadInput_OneLine(string option, string value, string expected)
    {
        using var dir = new TempFolder();
        string model = WriteDecoder(dir);
        var args = new Dictionary<string, string>(StringComparer.Ordinal) { ["--model"] = model, ["--tokens"] = "5,17,3", ["--new-tokens"] = "4" };
        args[option] = value;
        var (exit, _, stderr) = CliRunner.Run(["compare", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--out", Path.Combine(dir.Path, "o")]);
        Assert.Equal(2, exit);
        Assert.Equal(expected.Replace("{model}", model, StringComparison.Ordinal), stderr.Trim());
    }

    [Fact]
    public void Compare_Decoder_WithoutTokens_SaysSo()
    {
        using var dir = new TempFolder();
        string model = WriteDecoder(dir);
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", model, "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: --tokens: required: {model} is a decoder, compared on a token set (an int64 .npy [sequences, tokens] or comma-separated ids)", stderr.Trim());
    }

    [Theory]
    [InlineData("--tokens", "1,2,3")]
    [InlineData("--kv", "fp8")]
    public void Compare_Cnn_WithDecoderOptions_IsRefused(string option, string value)
    {
        using var dir = new TempFolder();
        string cnn = Path.Combine(SharedData.Digits, "digits_cnn_fp32", "model.onnx");
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", cnn, option, value, "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {option}: is for a decoder (inputs input_ids and past_key_values.N); {cnn} is compared on --calib, --test and --labels", stderr.Trim());
    }

    [Fact]
    public void Compare_Cnn_WithoutCalib_NamesIt()
    {
        using var dir = new TempFolder();
        string cnn = Path.Combine(SharedData.Digits, "digits_cnn_fp32", "model.onnx");
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", cnn, "--out", Path.Combine(dir.Path, "o"));
        Assert.Equal(2, exit);
        Assert.Equal("siliconsim: error: --calib: required for a CNN or MLP (a decoder, with inputs input_ids and past_key_values.N, takes --tokens instead)", stderr.Trim());
    }
}
