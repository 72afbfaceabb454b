using FsCheck.Xunit;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// Law: com.microsoft GroupQueryAttention gives ONNX Runtime's bits in output, present_key and present_value over
/// generated batches, head sizes, GQA ratios (1 to 4 query heads per kv head), packed or separate QKV, past lengths
/// (a first prompt with an empty past, decode of one token, and a later chunk of several tokens after a past), rotary on
/// or off (interleaved or not, full or partial rotary dim), local windows, softcap and explicit scales.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class GroupQueryAttentionOrtProperties(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] s_headSizes = [16, 32, 48, 64];
    private long _compared;
    private int _cases;

    [Property(MaxTest = 80)]
    public void GroupQueryAttention_GeneratedShapesPastsAndOptions_EqualsOrt(CaseSeed seed)
    {
        var (bad, compared, text) = Run(seed.Value);
        Assert.True(bad == 0, $"{seed}: {text}");
        _compared += compared;
        _cases++;
    }

    public void Dispose() => output.WriteLine($"{_cases} cases, {_compared} values compared with ONNX Runtime, 0 mismatches");

    /// <summary>Builds the case of <paramref name="seed"/>, runs it both ways: the mismatch count, the values compared
    /// and a description.</summary>
    internal static (int Bad, long Compared, string Text) Run(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 3);
        int kvHeads = rng.Next(1, 3);
        int heads = kvHeads * rng.Next(1, 5);
        int h = s_headSizes[rng.Next(s_headSizes.Length)];
        // Past lengths past 512 make two K/V blocks in ORT's flash kernel at head size 64 (1 MiB L2).
        int past = rng.Next(8) switch { 0 or 1 or 2 => 0, 3 or 4 => rng.Next(1, 8), 5 => rng.Next(500, 700), _ => rng.Next(8, 70) };
        int seq = past == 0 ? rng.Next(1, 9) : rng.Next(2) == 0 ? 1 : rng.Next(2, 5);
        if (past > 0 && seq > 1)
        {
            // ORT refuses a batch above 1 for a chunk of several tokens after a past.
            batch = 1;
        }

        int total = past + seq;
        bool packed = rng.Next(3) == 0;
        bool rotary = rng.Next(3) != 0;
        bool interleaved = rng.Next(2) == 0;
        // ORT wants the cache width (rotary dim / 2) to be a multiple of 8.
        int rotaryDim = rng.Next(4) == 0 ? 16 * rng.Next(1, (h / 16) + 1) : h;
        int window = rng.Next(4) == 0 ? rng.Next(1, total + 2) : -1;
        float softcap = rng.Next(4) == 0 ? (float)(2 + (rng.NextDouble() * 30)) : 0f;
        float scale = rng.Next(4) == 0 ? (float)(0.05 + rng.NextDouble()) : 0f;
        double range = rng.Next(2) == 0 ? 1 : 4;

        var b = new OnnxBuilder(opset: 21);
        var feeds = new List<(string, TensorValue)>();
        void Feed(string name, TensorValue v)
        {
            b.Input(name, v.Type, [.. v.Shape.Select(d => (int?)d)]);
            feeds.Add((name, v));
        }

        if (packed)
        {
            Feed("qkv", OrtDifferential.Floats(rng, [batch, seq, (heads + (2 * kvHeads)) * h], range));
        }
        else
        {
            Feed("q", OrtDifferential.Floats(rng, [batch, seq, heads * h], range));
            Feed("k", OrtDifferential.Floats(rng, [batch, seq, kvHeads * h], range));
            Feed("v", OrtDifferential.Floats(rng, [batch, seq, kvHeads * h], range));
        }

        Feed("past_key", OrtDifferential.Floats(rng, [batch, kvHeads, past, h], range));
        Feed("past_value", OrtDifferential.Floats(rng, [batch, kvHeads, past, h], range));
        Feed("seqlens_k", TensorValue.Create(DataType.Int32, [batch], Enumerable.Repeat(total - 1, batch).ToArray()));
        Feed("total_sequence_length", TensorValue.Scalar(DataType.Int32, total));
        var attrs = new List<(string, object)> { ("num_heads", (long)heads), ("kv_num_heads", (long)kvHeads) };
        string[] inputs = packed ? ["qkv", string.Empty, string.Empty] : ["q", "k", "v"];
        inputs = [.. inputs, "past_key", "past_value", "seqlens_k", "total_sequence_length"];
        if (rotary)
        {
            var (cos, sin) = RotaryEmbeddingOrtProperties.Caches(total + rng.Next(0, 16), rotaryDim / 2);
            b.Initializer("cos", cos).Initializer("sin", sin);
            inputs = [.. inputs, "cos", "sin"];
            attrs.Add(("do_rotary", 1L));
            attrs.Add(("rotary_interleaved", interleaved ? 1L : 0L));
        }

        if (window > 0)
        {
            attrs.Add(("local_window_size", (long)window));
        }

        if (softcap > 0)
        {
            attrs.Add(("softcap", softcap));
        }

        if (scale > 0)
        {
            attrs.Add(("scale", scale));
        }

        b.Node("GroupQueryAttention", inputs, ["out", "present_key", "present_value"], "com.microsoft", attributes: [.. attrs])
            .Output("out", DataType.Float).Output("present_key", DataType.Float).Output("present_value", DataType.Float);
        int bad = OrtDifferential.Mismatches(b, feeds, out string first, out long compared);
        string text = $"B {batch}, heads {heads}/{kvHeads}, H {h}, past {past}, S {seq}, packed {packed}, rotary {rotary} ({rotaryDim}, interleaved {interleaved}), window {window}, softcap {softcap:R}, scale {scale:R}";
        return (bad, compared, $"{text}: {bad}/{compared} mismatches; {first}");
    }
}
