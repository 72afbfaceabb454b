using System.Collections.Immutable;
using FsCheck.Xunit;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// The matrix unit's numerics reach every integer matrix op: a 32-bit saturating register (never overflowing here) runs
/// the plain array path and must give ORT's bits; the fixed-point requantizer moves quantized codes by at most one; a
/// wrapping 12-bit register gives ORT's int32 results reduced modulo 2^12.
/// </summary>
public sealed class MatrixNumericsOpsTests
{
    private static readonly MatrixNumerics s_saturate32 = new() { Overflow = AccumulatorOverflow.Saturate };
    private static readonly MatrixNumerics s_fixedPoint = new() { Requantizer = RequantizerArithmetic.FixedPoint };
    private static readonly MatrixNumerics s_fixedPointFloor = new() { Requantizer = RequantizerArithmetic.FixedPoint, FixedPointRounding = ShiftRounding.Floor };
    private static readonly MatrixNumerics s_wrap12 = new() { AccumulatorBits = 12 };

    public static TheoryData<string> OpKinds() => ["QLinearConv", "ConvInteger", "QGemm", "QGemmFloat", "QLinearMatMul", "MatMulInteger", "MatMulIntegerToFloat"];

    [Theory]
    [MemberData(nameof(OpKinds))]
    public void Saturate32_NoOverflow_EqualsOrtBits(string kind)
    {
        for (int seed = 0; seed < 25; seed++)
        {
            (string op, string domain, TensorValue?[] inputs, (string, long)[] attrs) = Problem(kind, seed);
            TensorValue ort = Run(op, domain, inputs, attrs, MatrixNumerics.Reference);
            TensorValue array = Run(op, domain, inputs, attrs, s_saturate32);
            Assert.True(ort.Shape.SequenceEqual(array.Shape));
            Assert.True(TensorComparison.Compare(array, ort).Mismatches == 0, $"{kind} seed {seed}");
        }
    }

    [Theory]
    [MemberData(nameof(OpKinds))]
    public void FixedPoint_MovesQuantizedCodesByAtMostOne(string kind)
    {
        foreach (MatrixNumerics numerics in new[] { s_fixedPoint, s_fixedPointFloor })
        {
            int moved = 0;
            for (int seed = 0; seed < 25; seed++)
            {
                (string op, string domain, TensorValue?[] inputs, (string, long)[] attrs) = Problem(kind, seed);
                TensorValue ort = Run(op, domain, inputs, attrs, MatrixNumerics.Reference);
                TensorValue array = Run(op, domain, inputs, attrs, numerics);
                for (int i = 0; i < ort.Length; i++)
                {
                    double d = Math.Abs(TensorComparison.ToDouble(array, i) - TensorComparison.ToDouble(ort, i));
                    bool quantized = ort.Type is DataType.UInt8 or DataType.Int8;
                    // Int32 and float outputs have no requantizer: the fixed point cannot touch them.
                    Assert.True(quantized ? d <= 1 : d == 0, $"{kind} {numerics} seed {seed} element {i}: {d}");
                    moved += d > 0 ? 1 : 0;
                }
            }

            if (numerics == s_fixedPointFloor && kind is "QLinearConv" or "QGemm" or "QLinearMatMul")
            {
                // Flooring instead of rounding lowers about half of the unsaturated codes.
                Assert.True(moved > 0, $"{kind}: the flooring requantizer changed nothing");
            }
        }
    }

    [Theory]
    [InlineData("ConvInteger")]
    [InlineData("MatMulInteger")]
    public void Wrap12_EqualsOrtInt32ModuloTwoToTheTwelfth(string kind)
    {
        for (int seed = 0; seed < 25; seed++)
        {
            (string op, string domain, TensorValue?[] inputs, (string, long)[] attrs) = Problem(kind, seed);
            int[] ort = Run(op, domain, inputs, attrs, MatrixNumerics.Reference).Items<int>();
            int[] array = Run(op, domain, inputs, attrs, s_wrap12).Items<int>();
            Assert.Equal(ort.Select(v => (((v % 4096) + 6144) % 4096) - 2048), array);
        }
    }

    [Fact]
    public void GraphExecutor_PassesOptionsToTheOps()
    {
        (string op, string domain, TensorValue?[] inputs, (string, long)[] attrs) = Problem("ConvInteger", 3);
        var node = MakeNode(op, domain, inputs.Length, attrs);
        var graph = new ModelGraph(
            "g",
            [node],
            ImmutableDictionary<string, TensorValue>.Empty,
            [.. inputs.Select((v, i) => new ValueInfo($"i{i}", v!.Type, [.. v.Shape.Select(d => (int?)d)]))],
            [new ValueInfo("y", DataType.Int32, [])],
            ImmutableDictionary<string, ValueInfo>.Empty,
            ImmutableDictionary<string, int>.Empty.Add(string.Empty, 21));
        var feeds = inputs.Select((v, i) => ($"i{i}", v!)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        int[] reference = GraphExecutor.Run(graph, feeds)[0].Value.Items<int>();
        int[] narrow = GraphExecutor.Run(graph, feeds, options: new ExecutionOptions { MatrixNumerics = s_wrap12 })[0].Value.Items<int>();
        Assert.Equal(reference.Select(v => (((v % 4096) + 6144) % 4096) - 2048), narrow);
        Assert.NotEqual(reference, narrow);
    }

    private static TensorValue Run(string op, string domain, TensorValue?[] inputs, (string, long)[] attrs, MatrixNumerics numerics) =>
        OpRegistry.Find(domain, op)!(new OpContext(MakeNode(op, domain, inputs.Length, attrs), 21, inputs, null, new ExecutionOptions { MatrixNumerics = numerics }))[0];

    private static Node MakeNode(string op, string domain, int inputCount, (string Name, long Value)[] attrs)
    {
        var a = attrs.ToImmutableDictionary(t => t.Name, t => new AttributeValue(AttributeKind.Int) { Int = t.Value }, StringComparer.Ordinal);
        return new Node("n", op, domain, [.. Enumerable.Range(0, inputCount).Select(i => $"i{i}")], ["y"], a);
    }

    private static (string Op, string Domain, TensorValue?[] Inputs, (string, long)[] Attrs) Problem(string kind, int seed)
    {
        var rng = new Random(seed);
        TensorValue U8(params int[] shape) => TensorValue.Create(DataType.UInt8, shape, Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (byte)rng.Next(256)).ToArray());
        TensorValue S8(params int[] shape) => TensorValue.Create(DataType.Int8, shape, Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray());
        TensorValue F(params float[] v) => v.Length == 1 ? TensorValue.Scalar(DataType.Float, v[0]) : TensorValue.FromFloats([v.Length], v);
        float Scale() => (float)(0.001 + (rng.NextDouble() * 0.05));
        TensorValue Zu8() => TensorValue.Scalar(DataType.UInt8, (byte)rng.Next(256));
        TensorValue Zs8() => TensorValue.Scalar(DataType.Int8, (sbyte)rng.Next(-20, 20));
        int m = rng.Next(1, 5), k = rng.Next(1, 40), n = rng.Next(1, 7);
        int c = rng.Next(1, 4), oc = rng.Next(1, 5), hw = rng.Next(3, 7);
        float[] perChannel = [.. Enumerable.Range(0, oc).Select(_ => Scale())];
        // An output scale that spreads the results over the 8-bit range (about 40 typical products per code), so that
        // few outputs saturate and the requantizer's rounding is what decides most codes.
        float OutScale(float sx, float sw, int reduction) => sx * sw * reduction * (float)(30 + (rng.NextDouble() * 20));
        switch (kind)
        {
            case "QLinearConv":
                TensorValue bias = TensorValue.Create(DataType.Int32, [oc], Enumerable.Range(0, oc).Select(_ => rng.Next(-5000, 5000)).ToArray());
                float xs = Scale();
                return ("QLinearConv", string.Empty, [U8(2, c, hw, hw), F(xs), Zu8(), S8(oc, c, 3, 3), F(perChannel), TensorValue.Create(DataType.Int8, [oc], new sbyte[oc]), F(OutScale(xs, perChannel[0], c * 9)), Zu8(), bias], [("group", 1)]);
            case "ConvInteger":
                return ("ConvInteger", string.Empty, [U8(1, c, hw, hw), S8(oc, c, 2, 2), Zu8(), Zs8()], []);
            case "QGemm":
            case "QGemmFloat":
                bool floatOut = kind == "QGemmFloat";
                TensorValue cb = TensorValue.Create(DataType.Int32, [n], Enumerable.Range(0, n).Select(_ => rng.Next(-5000, 5000)).ToArray());
                float qa = Scale(), qb = Scale();
                TensorValue?[] qg = floatOut
                    ? [U8(m, k), F(qa), Zu8(), S8(n, k), F(qb), Zs8(), cb]
                    : [U8(m, k), F(qa), Zu8(), S8(n, k), F(qb), Zs8(), cb, F(OutScale(qa, qb, k)), Zu8()];
                return ("QGemm", "com.microsoft", qg, [("transB", 1)]);
            case "QLinearMatMul":
                float ma = Scale(), mb = Scale();
                return ("QLinearMatMul", string.Empty, [U8(2, m, k), F(ma), Zu8(), S8(k, n), F(mb), Zs8(), F(OutScale(ma, mb, k)), Zu8()], []);
            case "MatMulInteger":
                return ("MatMulInteger", string.Empty, [U8(2, m, k), S8(k, n), Zu8(), Zs8()], []);
            default:
                return ("MatMulIntegerToFloat", "com.microsoft", [U8(m, k), S8(k, n), F(Scale()), F(Scale()), Zu8(), Zs8()], []);
        }
    }
}
