using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>com.microsoft QLinearAdd, QLinearMul, QLinearGlobalAveragePool, QLinearSoftmax against ONNX Runtime.</summary>
public sealed class QuantElementwiseOrtTests
{
    private static readonly int[][][] s_broadcastPairs =
    [
        [[2, 3, 5, 7], [2, 3, 5, 7]],
        [[2, 3, 5, 7], []],
        [[], [2, 3, 5, 7]],
        [[2, 3, 5, 7], [1]],
        [[1], [3, 40]],
        [[2, 3, 5, 7], [3, 1, 1]],
        [[3, 1, 1], [2, 3, 5, 7]],
        [[2, 3, 5, 7], [7]],
        [[5, 1], [1, 7]],
        [[1, 7], [5, 1]],
        [[4, 1], [1, 1]],
        [[], [4, 1]],
        [[1], [1]],
        [[], []],
        [[3, 1, 6], [3, 5, 1]],
        [[2, 1, 4, 1], [1, 3, 1, 5]],
        [[70], [70]],
        [[1, 1, 33], [2, 5, 33]],
        [[6, 1], [6, 1]],
        [[2, 3, 5, 1], [2, 1, 5, 1]],
    ];

    private readonly ITestOutputHelper _out;

    public QuantElementwiseOrtTests(ITestOutputHelper output) => _out = output;

    public static TheoryData<string, int> BinaryCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string op in new[] { "QLinearAdd", "QLinearMul" })
        {
            for (int seed = 1; seed <= 4; seed++)
            {
                data.Add(op, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void QLinearBinary_BroadcastShapes_MatchOrtBitExactly(string op, int seed)
    {
        var g = new QuantGen((seed * 7) + op.Length);
        int elements = 0, bad = 0;
        foreach (int[][] pair in s_broadcastPairs)
        {
            for (int rep = 0; rep < 3; rep++)
            {
                DataType t = g.Bool() ? DataType.UInt8 : DataType.Int8;
                var a = g.Codes(t, pair[0]);
                var b = g.Codes(t, pair[1]);
                float sa = g.Scale(), sb = g.Scale();
                float sc = op == "QLinearAdd" ? (sa + sb) * (float)(0.3 + (g.Int(0, 100) / 100.0)) : sa * sb * g.Int(20, 200);
                TensorValue?[] inputs =
                [
                    a, QuantGen.FloatScalar(sa), g.ZeroPoint(t), b, QuantGen.FloatScalar(sb), g.ZeroPoint(t), QuantGen.FloatScalar(sc), g.ZeroPoint(t),
                ];
                var ours = SingleNode.Ours(op, "com.microsoft", inputs, []);
                var ort = SingleNode.Ort(op, "com.microsoft", inputs, [], t, graphInputs: [0, 3]);
                int m = SingleNode.Mismatches(ort, ours);
                if (m > 0)
                {
                    _out.WriteLine(SingleNode.Describe(inputs, [], ort, ours));
                }

                bad += m;
                elements += ort.Length;
            }
        }

        _out.WriteLine($"{op} seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    /// <summary>Many same-shape elements per case: the FMA folding of QLinearAdd shows up a few times per million.</summary>
    [Theory]
    [InlineData("QLinearAdd")]
    [InlineData("QLinearMul")]
    public void QLinearBinary_LargeSameShape_MatchOrtBitExactly(string op)
    {
        var g = new QuantGen(op.Length * 1234);
        int elements = 0, bad = 0;
        for (int rep = 0; rep < 12; rep++)
        {
            DataType t = rep % 2 == 0 ? DataType.UInt8 : DataType.Int8;
            int[] shape = [4, 64, 257];
            // Streaming/streaming, streaming/scalar and scalar/streaming spans: each is a different MLAS path.
            var a = g.Codes(t, rep % 3 == 2 ? [] : shape);
            var b = g.Codes(t, rep % 3 == 1 ? [1] : shape);
            float sa = g.Scale(0.05f), sb = g.Scale(0.05f);
            float sc = op == "QLinearAdd" ? (sa + sb) * 0.7f : sa * sb * 90f;
            TensorValue?[] inputs = [a, QuantGen.FloatScalar(sa), g.ZeroPoint(t), b, QuantGen.FloatScalar(sb), g.ZeroPoint(t), QuantGen.FloatScalar(sc), g.ZeroPoint(t)];
            var ours = SingleNode.Ours(op, "com.microsoft", inputs, []);
            var ort = SingleNode.Ort(op, "com.microsoft", inputs, [], t, graphInputs: [0, 3]);
            bad += SingleNode.Mismatches(ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"{op} large: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void QLinearGlobalAveragePool_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 555);
        int elements = 0, bad = 0;
        for (int rep = 0; rep < 10; rep++)
        {
            DataType t = g.Bool() ? DataType.UInt8 : DataType.Int8;
            bool channelsLast = g.Bool();
            int n = g.Int(1, 3), c = g.Int(1, 20), h = g.Int(1, 9), w = g.Int(1, 9);
            int[] shape = channelsLast ? [n, h, w, c] : [n, c, h, w];
            var x = g.Codes(t, shape);
            float xs = g.Scale();
            // Keep xs / (ys · HW) inside MLAS's accepted range [2^-32, 256).
            float ys = xs * MathF.Pow(2, -g.Int(0, 3)) * (g.Bool() ? 1f : (float)(0.5 + (g.Int(0, 100) / 100.0)));
            TensorValue?[] inputs = [x, QuantGen.FloatScalar(xs), g.ZeroPoint(t), QuantGen.FloatScalar(ys), g.ZeroPoint(t)];
            (string, object)[] attrs = [("channels_last", (long)(channelsLast ? 1 : 0))];
            var ours = SingleNode.Ours("QLinearGlobalAveragePool", "com.microsoft", inputs, attrs);
            var ort = SingleNode.Ort("QLinearGlobalAveragePool", "com.microsoft", inputs, attrs, t);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine(SingleNode.Describe(inputs, attrs, ort, ours));
            }

            bad += m;
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearGlobalAveragePool seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    /// <summary>Long rows (attention-sized) where a vectorised kernel would sum in a different order.</summary>
    [Fact]
    public void QLinearSoftmax_LongRows_MatchOrtBitExactly()
    {
        var g = new QuantGen(1717);
        int elements = 0, bad = 0;
        for (int rep = 0; rep < 16; rep++)
        {
            DataType t = rep % 2 == 0 ? DataType.UInt8 : DataType.Int8;
            int d = g.Int(15, 200);
            var x = g.Codes(t, 3, 4, d);
            float xs = g.Scale(0.1f);
            float ys = rep % 4 < 2 ? 1f / 256f : g.Scale(0.01f);
            int yz = t == DataType.UInt8 ? 0 : -128;
            TensorValue?[] inputs = [x, QuantGen.FloatScalar(xs), g.ZeroPoint(t), QuantGen.FloatScalar(ys), QuantGen.Scalar(t, yz)];
            (string, object)[] attrs = [("opset", 13L), ("axis", -1L)];
            var ours = SingleNode.Ours("QLinearSoftmax", "com.microsoft", inputs, attrs);
            var ort = SingleNode.Ort("QLinearSoftmax", "com.microsoft", inputs, attrs, t);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine($"D={d} " + SingleNode.Describe(inputs, attrs, ort, ours));
            }

            bad += m;
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearSoftmax long rows: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void QLinearSoftmax_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 4242);
        int elements = 0, bad = 0;
        for (int rep = 0; rep < 10; rep++)
        {
            DataType t = g.Bool() ? DataType.UInt8 : DataType.Int8;
            int rank = g.Int(1, 4);
            int[] shape = [.. Enumerable.Range(0, rank).Select(_ => g.Int(1, 12))];
            var x = g.Codes(t, shape);
            int opset = g.Bool() ? 13 : 12;
            int axis = g.Int(-rank, rank - 1);
            float xs = g.Scale(0.2f);
            // QDQ softmax outputs are usually 1/256 with zp 0 (u8) or -128 (s8); also try others.
            float ys = g.Bool() ? 1f / 256f : g.Scale(0.01f);
            int yz = t == DataType.UInt8 ? (g.Bool() ? 0 : g.Int(0, 40)) : (g.Bool() ? -128 : g.Int(-128, -90));
            TensorValue?[] inputs = [x, QuantGen.FloatScalar(xs), g.ZeroPoint(t), QuantGen.FloatScalar(ys), QuantGen.Scalar(t, yz)];
            (string, object)[] attrs = [("opset", (long)opset), ("axis", (long)axis)];
            var ours = SingleNode.Ours("QLinearSoftmax", "com.microsoft", inputs, attrs);
            var ort = SingleNode.Ort("QLinearSoftmax", "com.microsoft", inputs, attrs, t);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine(SingleNode.Describe(inputs, attrs, ort, ours));
            }

            bad += m;
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearSoftmax seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }
}
