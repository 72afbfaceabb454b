using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>MatMulInteger, QLinearMatMul and com.microsoft QGemm against ONNX Runtime over generated cases.</summary>
public sealed class QuantMatMulOrtTests
{
    private readonly ITestOutputHelper _out;

    public QuantMatMulOrtTests(ITestOutputHelper output) => _out = output;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MatMulInteger_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 31);
        int elements = 0, bad = 0;
        for (int c = 0; c < 8; c++)
        {
            (int[] aShape, int[] bShape, int m, int n) = Shapes(g);
            DataType at = DataType.UInt8, bt = g.Bool() ? DataType.Int8 : DataType.UInt8;
            var a = g.Codes(at, aShape);
            var b = g.Codes(bt, bShape);
            // ORT: a_zero_point per tensor; b_zero_point per tensor or per column when B is 2-D.
            var bz = bShape.Length == 2 && g.Bool() ? g.ZeroPoint(bt, n) : g.ZeroPoint(bt);
            TensorValue?[] inputs = [a, b, g.ZeroPoint(at), bz];
            var ours = SingleNode.Ours("MatMulInteger", string.Empty, inputs, []);
            var ort = SingleNode.Ort("MatMulInteger", string.Empty, inputs, [], DataType.Int32, graphInputs: [0]);
            bad += Report(inputs, [], ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"MatMulInteger seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QLinearMatMul_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 131);
        int elements = 0, bad = 0;
        for (int c = 0; c < 8; c++)
        {
            (int[] aShape, int[] bShape, int m, int n) = Shapes(g);
            // ORT's CPU kernel types: u8·u8→u8, u8·s8→u8, s8·s8→s8.
            (DataType at, DataType bt) = g.Int(0, 2) switch { 0 => (DataType.UInt8, DataType.UInt8), 1 => (DataType.UInt8, DataType.Int8), _ => (DataType.Int8, DataType.Int8) };
            bool narrow = g.Bool();
            var a = QLinearConvOrtTests.Around(g, at, out int az, narrow, aShape);
            var b = QLinearConvOrtTests.Around(g, bt, out int bz, narrow, bShape);
            int k = aShape[^1];
            float sa = g.Scale(), sb = g.Scale();
            double amp = (narrow ? 16.0 : 10000.0) * Math.Sqrt(k);
            float ys = sa * sb / MathF.Pow(2, MathF.Round(MathF.Log2((float)(60.0 / amp))));
            DataType yt = at;
            int yz = yt == DataType.UInt8 ? g.Int(0, 255) : g.Int(-128, 127);
            // Per-column B scale and zero point (a 1-D [N] tensor) for 2-D B.
            bool perColumn = bShape.Length == 2 && g.Bool();
            TensorValue bScale = perColumn ? TensorValue.Create(DataType.Float, [n], Enumerable.Range(0, n).Select(_ => g.Bool() ? sb : g.Scale()).ToArray()) : QuantGen.FloatScalar(sb);
            TensorValue bZero = perColumn ? g.ZeroPoint(bt, n) : QuantGen.Scalar(bt, bz);
            TensorValue?[] inputs =
            [
                a, QuantGen.FloatScalar(sa), QuantGen.Scalar(at, az), b, bScale, bZero, QuantGen.FloatScalar(ys), QuantGen.Scalar(yt, yz),
            ];
            var ours = SingleNode.Ours("QLinearMatMul", string.Empty, inputs, []);
            var ort = SingleNode.Ort("QLinearMatMul", string.Empty, inputs, [], yt);
            bad += Report(inputs, [], ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearMatMul seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QGemm_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 977);
        int elements = 0, bad = 0;
        for (int c = 0; c < 10; c++)
        {
            int m = g.Int(1, 9), k = g.Int(1, 40), n = g.Int(1, 12);
            bool transA = g.Bool(), transB = g.Bool();
            DataType at = DataType.UInt8;
            DataType bt = g.Bool() ? DataType.Int8 : DataType.UInt8;
            bool narrow = g.Bool();
            var a = QLinearConvOrtTests.Around(g, at, out int az, narrow, transA ? [k, m] : [m, k]);
            var b = QLinearConvOrtTests.Around(g, bt, out int bzv, narrow, transB ? [n, k] : [k, n]);
            bool perColumn = g.Bool();
            float sa = g.Scale(), sb0 = g.Scale();
            var bScale = perColumn ? TensorValue.Create(DataType.Float, [n], Enumerable.Range(0, n).Select(_ => g.Bool() ? sb0 : g.Scale()).ToArray()) : QuantGen.FloatScalar(sb0);
            var bz = perColumn ? g.ZeroPoint(bt, n) : QuantGen.Scalar(bt, bzv);
            double amp = (narrow ? 16.0 : 10000.0) * Math.Sqrt(k);
            TensorValue? cBias = g.Int(0, 3) switch
            {
                0 => null,
                1 => g.Int32s(-(int)amp, (int)amp, n),
                2 => g.Int32s(-(int)amp, (int)amp, m, n),
                _ => g.Int32s(-(int)amp, (int)amp, 1, n),
            };
            float alpha = g.Bool() ? 1f : g.Scale();
            bool quantOut = g.Bool();
            float ys = sa * sb0 / MathF.Pow(2, MathF.Round(MathF.Log2((float)(60.0 / amp))));
            int yz = g.Int(0, 255);
            TensorValue?[] inputs = quantOut
                ? [a, QuantGen.FloatScalar(sa), QuantGen.Scalar(at, az), b, bScale, bz, cBias, QuantGen.FloatScalar(ys), QuantGen.Scalar(DataType.UInt8, yz)]
                : [a, QuantGen.FloatScalar(sa), QuantGen.Scalar(at, az), b, bScale, bz, cBias];
            (string, object)[] attrs = [("transA", (long)(transA ? 1 : 0)), ("transB", (long)(transB ? 1 : 0)), ("alpha", alpha)];
            var ours = SingleNode.Ours("QGemm", "com.microsoft", inputs, attrs);
            var ort = SingleNode.Ort("QGemm", "com.microsoft", inputs, attrs, quantOut ? DataType.UInt8 : DataType.Float);
            bad += Report(inputs, attrs, ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"QGemm seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MatMulIntegerToFloat_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 2713);
        int elements = 0, bad = 0;
        for (int c = 0; c < 8; c++)
        {
            (int[] aShape, int[] bShape, int m, int n) = Shapes(g);
            DataType bt = g.Bool() ? DataType.Int8 : DataType.UInt8;
            var a = g.Codes(DataType.UInt8, aShape);
            var b = g.Codes(bt, bShape);
            bool perColumn = bShape.Length == 2 && g.Bool();
            var bScale = perColumn ? g.Scales(n, 0.01f) : QuantGen.FloatScalar(g.Scale(0.01f));
            var bz = perColumn ? g.ZeroPoint(bt, n) : g.ZeroPoint(bt);
            TensorValue? bias = g.Bool() ? TensorValue.Create(DataType.Float, [n], Enumerable.Range(0, n).Select(_ => (float)(g.Int(-1000, 1000) / 37.0)).ToArray()) : null;
            TensorValue?[] inputs = [a, b, QuantGen.FloatScalar(g.Scale(0.02f)), bScale, g.ZeroPoint(DataType.UInt8), bz, bias];
            var ours = SingleNode.Ours("MatMulIntegerToFloat", "com.microsoft", inputs, []);
            var ort = SingleNode.Ort("MatMulIntegerToFloat", "com.microsoft", inputs, [], DataType.Float, graphInputs: [0]);
            bad += Report(inputs, [], ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"MatMulIntegerToFloat seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    /// <summary>Scale products of exactly 0.5: every odd accumulator is a tie for QLinearMatMul and QGemm.</summary>
    [Fact]
    public void QLinearMatMulAndQGemm_ExactTies_MatchOrtBitExactly()
    {
        var g = new QuantGen(99);
        int elements = 0, bad = 0;
        for (int c = 0; c < 6; c++)
        {
            var a = QLinearConvOrtTests.Around(g, DataType.UInt8, out int az, true, 7, 19);
            var b = QLinearConvOrtTests.Around(g, DataType.Int8, out int bz, true, 19, 11);
            TensorValue?[] mm = [a, QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, az), b, QuantGen.FloatScalar(0.5f), QuantGen.Scalar(DataType.Int8, bz), QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, 100)];
            var ours = SingleNode.Ours("QLinearMatMul", string.Empty, mm, []);
            var ort = SingleNode.Ort("QLinearMatMul", string.Empty, mm, [], DataType.UInt8);
            bad += Report(mm, [], ort, ours);
            elements += ort.Length;
            TensorValue?[] qg = [a, QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, az), b, QuantGen.FloatScalar(0.5f), QuantGen.Scalar(DataType.Int8, bz), g.Int32s(-40, 40, 11), QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, 100)];
            ours = SingleNode.Ours("QGemm", "com.microsoft", qg, []);
            ort = SingleNode.Ort("QGemm", "com.microsoft", qg, [], DataType.UInt8);
            bad += Report(qg, [], ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearMatMul/QGemm exact ties: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    private int Report(TensorValue?[] inputs, (string, object)[] attrs, TensorValue ort, TensorValue ours)
    {
        int m = SingleNode.Mismatches(ort, ours);
        if (m > 0)
        {
            _out.WriteLine(SingleNode.Describe(inputs, attrs, ort, ours));
        }

        return m;
    }

    // 2-D, batched 3-D/4-D with broadcasting, and rank-1 operands.
    private static (int[] A, int[] B, int M, int N) Shapes(QuantGen g)
    {
        int m = g.Int(1, 7), k = g.Int(1, 33), n = g.Int(1, 9);
        return g.Int(0, 4) switch
        {
            0 => ([m, k], [k, n], m, n),
            1 => ([g.Int(1, 3), m, k], [k, n], m, n),
            2 => ([2, 1, m, k], [3, k, n], m, n),
            3 => ([k], [k, n], 1, n),
            _ => ([g.Int(2, 3), m, k], [1, k, n], m, n),
        };
    }
}
