using FsCheck.Xunit;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// Law: RotaryEmbedding (com.microsoft, and ONNX opset 23) gives ONNX Runtime's bits over generated layouts (3-D
/// [B, S, N·H] and 4-D), head sizes, partial rotary dims, interleaved or split halves, and position ids given per token
/// or (com.microsoft) as one offset.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class RotaryEmbeddingOrtProperties(ITestOutputHelper output) : IDisposable
{
    private long _compared;
    private int _cases;

    [Property(MaxTest = 60)]
    public void RotaryEmbedding_GeneratedLayoutsAndPositions_EqualsOrt(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        bool onnx = rng.Next(2) == 0;
        int batch = rng.Next(1, 3);
        int seq = rng.Next(1, 6);
        int heads = rng.Next(1, 4);
        int headSize = 2 * rng.Next(1, 40);
        bool partial = rng.Next(3) == 0;
        int rotary = partial ? 2 * rng.Next(1, (headSize / 2) + 1) : headSize;
        bool fourD = rng.Next(2) == 0;
        bool interleaved = rng.Next(2) == 0;
        int maxPosition = seq + rng.Next(0, 20);
        int[] xShape = fourD ? [batch, heads, seq, headSize] : [batch, seq, heads * headSize];
        var x = OrtDifferential.Floats(rng, xShape, 3);
        var (cos, sin) = Caches(maxPosition, rotary / 2);
        var positions = new long[batch * seq];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = rng.Next(maxPosition);
        }

        var attrs = new List<(string, object)> { ("interleaved", interleaved ? 1L : 0L) };
        if (!fourD || partial)
        {
            attrs.Add(("num_heads", (long)heads));
        }

        if (partial)
        {
            attrs.Add(("rotary_embedding_dim", (long)rotary));
        }

        var b = new OnnxBuilder(opset: onnx ? 23 : 21).Input("x", DataType.Float, [.. xShape.Select(d => (int?)d)]).Initializer("cos", cos).Initializer("sin", sin);
        var feeds = new List<(string, TensorValue)> { ("x", x) };
        bool offset = !onnx && rng.Next(4) == 0;
        TensorValue ids = offset ? TensorValue.Create(DataType.Int64, [1], new long[] { rng.Next(maxPosition - seq + 1) }) : TensorValue.Create(DataType.Int64, [batch, seq], positions);
        b.Input("pos", DataType.Int64, [.. ids.Shape.Select(d => (int?)d)]);
        feeds.Add(("pos", ids));
        if (onnx)
        {
            b.Node("RotaryEmbedding", ["x", "cos", "sin", "pos"], ["y"], attributes: [.. attrs]);
        }
        else
        {
            b.Node("RotaryEmbedding", ["x", "pos", "cos", "sin"], ["y"], "com.microsoft", attributes: [.. attrs]);
        }

        b.Output("y", DataType.Float);
        int bad = OrtDifferential.Mismatches(b, feeds, out string first, out long compared);
        Assert.True(bad == 0, $"{seed}: {(onnx ? "onnx" : "com.microsoft")} X [{string.Join(",", xShape)}], rotary {rotary}, interleaved {interleaved}, offset {offset}: {bad} mismatches; {first}");
        _compared += compared;
        _cases++;
    }

    public void Dispose() => output.WriteLine($"{_cases} cases, {_compared} values compared with ONNX Runtime, 0 mismatches");

    /// <summary>cos/sin caches [positions, half] as the model builder computes them: θ_i = 10000^(−2i/dim), in double,
    /// rounded to float.</summary>
    internal static (TensorValue Cos, TensorValue Sin) Caches(int positions, int half, double theta = 10000.0)
    {
        var c = new float[positions * half];
        var s = new float[positions * half];
        for (int p = 0; p < positions; p++)
        {
            for (int i = 0; i < half; i++)
            {
                double angle = p * Math.Pow(theta, -2.0 * i / (2 * half));
                c[(p * half) + i] = (float)Math.Cos(angle);
                s[(p * half) + i] = (float)Math.Sin(angle);
            }
        }

        return (TensorValue.FromFloats([positions, half], c), TensorValue.FromFloats([positions, half], s));
    }
}
