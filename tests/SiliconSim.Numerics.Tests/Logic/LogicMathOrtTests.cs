using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Logic;
using SiliconSim.Numerics.Kernels.Reduction;
using SiliconSim.TestSupport;

namespace SiliconSim.Numerics.Tests.Logic;

/// <summary>Logic, arithmetic and shape kernels against ONNX Runtime on seeded broadcasting shapes; every output bit for bit.</summary>
public sealed class LogicMathOrtTests
{
    public static TheoryData<string, DataType> BinaryCases()
    {
        var data = new TheoryData<string, DataType>();
        foreach (string op in new[] { "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Equal", "Min", "Max" })
        {
            foreach (DataType t in new[] { DataType.Float, DataType.Int32, DataType.Int64 })
            {
                data.Add(op, t);
            }
        }

        data.Add("Min", DataType.Double);
        data.Add("Max", DataType.UInt64);
        data.Add("Equal", DataType.Bool);
        data.Add("Mod", DataType.Int32);
        data.Add("Mod", DataType.Int64);
        data.Add("FMod", DataType.Int32);
        data.Add("FMod", DataType.Float);
        foreach (string op in new[] { "And", "Or", "Xor" })
        {
            data.Add(op, DataType.Bool);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_MatchesOrtBitExactly(string op, DataType type)
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var rng = new Random((seed * 131) + op.Length + (int)type);
            (_, int[] aShape, int[] bShape) = LogicArithmeticPropertyTests.Shapes(rng);
            TensorValue a = Random(rng, type, aShape, divisor: false);
            TensorValue b = Random(rng, type, bShape, divisor: op.EndsWith("Mod", StringComparison.Ordinal));
            string onnxOp = op == "FMod" ? "Mod" : op;
            var builder = new OnnxBuilder(opset: 18);
            builder.Input("a", type, aShape.Select(d => (int?)d).ToArray()).Input("b", type, bShape.Select(d => (int?)d).ToArray());
            var attributes = op == "FMod" ? new (string, object)[] { ("fmod", 1L) } : [];
            DataType outType = op is "Less" or "LessOrEqual" or "Greater" or "GreaterOrEqual" or "Equal" ? DataType.Bool : type;
            builder.Node(onnxOp, ["a", "b"], ["y"], attributes: attributes).Output("y", outType);
            TensorValue expected = OrtOracle.RunSingle(builder.ToBytes(), ("a", a), ("b", b));
            TensorValue actual = op switch
            {
                "Min" => ArithmeticKernels.MinMax(false, [a, b]),
                "Max" => ArithmeticKernels.MinMax(true, [a, b]),
                "Mod" => ArithmeticKernels.Mod(a, b, fmod: false),
                "FMod" => ArithmeticKernels.Mod(a, b, fmod: true),
                "And" or "Or" or "Xor" => LogicKernels.Boolean(Enum.Parse<BoolOp>(op), a, b),
                _ => LogicKernels.Compare(Enum.Parse<CompareOp>(op), a, b),
            };
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            Assert.Equal(Raw(expected), Raw(actual));
        }
    }

    [Theory]
    [InlineData("Neg", DataType.Float)]
    [InlineData("Neg", DataType.Int8)]
    [InlineData("Neg", DataType.Int32)]
    [InlineData("Neg", DataType.Int64)]
    [InlineData("Abs", DataType.Float)]
    [InlineData("Abs", DataType.Int8)]
    [InlineData("Abs", DataType.UInt8)]
    [InlineData("Abs", DataType.Int32)]
    public void Unary_MatchesOrtBitExactly(string op, DataType type)
    {
        var rng = new Random(op.Length + (int)type);
        TensorValue x = Random(rng, type, [5, 7], divisor: false);
        var builder = new OnnxBuilder(opset: 18);
        builder.Input("x", type, 5, 7).Node(op, ["x"], ["y"]).Output("y", type);
        TensorValue expected = OrtOracle.RunSingle(builder.ToBytes(), ("x", x));
        Assert.Equal(Raw(expected), Raw(op == "Neg" ? ArithmeticKernels.Neg(x) : ArithmeticKernels.Abs(x)));
    }

    [Theory]
    [InlineData(DataType.Float)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int64)]
    public void WhereExpandTile_MatchOrtBitExactly(DataType type)
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var rng = new Random((seed * 17) + (int)type);
            (int[] outShape, int[] xShape, int[] yShape) = LogicArithmeticPropertyTests.Shapes(rng);
            int[] cShape = outShape.Skip(rng.Next(outShape.Length + 1)).Select(d => rng.Next(2) == 0 ? 1 : d).ToArray();
            TensorValue c = Random(rng, DataType.Bool, cShape, false), x = Random(rng, type, xShape, false), y = Random(rng, type, yShape, false);
            long[] target = outShape.Select(d => (long)d).ToArray();
            long[] repeats = xShape.Select(_ => (long)rng.Next(1, 4)).ToArray();
            var builder = new OnnxBuilder(opset: 18);
            builder.Input("c", DataType.Bool, cShape.Select(d => (int?)d).ToArray())
                .Input("x", type, xShape.Select(d => (int?)d).ToArray())
                .Input("y", type, yShape.Select(d => (int?)d).ToArray())
                .Initializer("shape", TensorValue.Create(DataType.Int64, [target.Length], target))
                .Initializer("repeats", TensorValue.Create(DataType.Int64, [repeats.Length], repeats))
                .Node("Where", ["c", "x", "y"], ["w"]).Output("w", type)
                .Node("Expand", ["x", "shape"], ["e"]).Output("e", type)
                .Node("Tile", ["x", "repeats"], ["t"]).Output("t", type);
            var outputs = OrtOracle.Run(builder.ToBytes(), [("c", c), ("x", x), ("y", y)]);
            Assert.Equal(Raw(outputs[0].Value), Raw(LogicKernels.Where(c, x, y)));
            Assert.Equal(outputs[0].Value.Shape.ToArray(), LogicKernels.Where(c, x, y).Shape.ToArray());
            Assert.Equal(Raw(outputs[1].Value), Raw(ShapeKernels.Expand(x, target)));
            Assert.Equal(outputs[2].Value.Shape.ToArray(), ShapeKernels.Tile(x, repeats).Shape.ToArray());
            Assert.Equal(Raw(outputs[2].Value), Raw(ShapeKernels.Tile(x, repeats)));
        }
    }

    [Theory]
    [InlineData(DataType.Float, 0.1f, 7.3f, 0.3f)]
    [InlineData(DataType.Float, 5f, -3.1f, -0.7f)]
    [InlineData(DataType.Float, 1e6f, 1.0001e6f, 3.3f)]
    [InlineData(DataType.Int32, -7f, 23f, 3f)]
    [InlineData(DataType.Int64, 9f, -4f, -2f)]
    [InlineData(DataType.Int32, 3f, 3f, 1f)]
    public void Range_MatchesOrtBitExactly(DataType type, float start, float limit, float delta)
    {
        TensorValue S(float v) => type switch
        {
            DataType.Float => TensorValue.Scalar(type, v),
            DataType.Int32 => TensorValue.Scalar(type, (int)v),
            _ => TensorValue.Scalar(type, (long)v),
        };
        var builder = new OnnxBuilder(opset: 18);
        builder.Input("s", type).Input("l", type).Input("d", type).Node("Range", ["s", "l", "d"], ["y"]).Output("y", type);
        TensorValue expected = OrtOracle.RunSingle(builder.ToBytes(), ("s", S(start)), ("l", S(limit)), ("d", S(delta)));
        Assert.Equal(Raw(expected), Raw(ShapeKernels.Range(S(start), S(limit), S(delta))));
    }

    [Theory]
    [InlineData(DataType.Float)]
    [InlineData(DataType.Int32)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int64)]
    public void ArgMaxArgMin_MatchOrt(DataType type)
    {
        for (int seed = 0; seed < 8; seed++)
        {
            var rng = new Random((seed * 7) + (int)type);
            int rank = rng.Next(1, 4);
            int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
            int axis = rng.Next(rank);
            bool keep = rng.Next(2) == 0, last = rng.Next(2) == 0;
            TensorValue x = Random(rng, type, shape, false, small: true);
            foreach (bool max in new[] { true, false })
            {
                var builder = new OnnxBuilder(opset: 13);
                builder.Input("x", type, shape.Select(d => (int?)d).ToArray())
                    .Node(max ? "ArgMax" : "ArgMin", ["x"], ["y"], attributes: [("axis", (long)axis), ("keepdims", keep ? 1L : 0L), ("select_last_index", last ? 1L : 0L)])
                    .Output("y", DataType.Int64);
                TensorValue expected = OrtOracle.RunSingle(builder.ToBytes(), ("x", x));
                TensorValue actual = ReduceKernels.ArgMinMax(max, x, axis, keep, last);
                Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
                Assert.Equal(expected.Items<long>(), actual.Items<long>());
            }
        }
    }

    private static byte[] Raw(TensorValue t) => SiliconSim.Graph.Onnx.TensorProtos.ToRaw(t);

    private static TensorValue Random(Random rng, DataType type, int[] shape, bool divisor, bool small = false)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        int Next(int lo, int hi)
        {
            int v = small ? rng.Next(-2, 3) : rng.Next(lo, hi);
            return divisor && v == 0 ? 3 : v;
        }

        return type switch
        {
            // Float values include ties, signed zeros and (not as divisors) NaN, to pin Min/Max and comparisons.
            DataType.Float => TensorValue.FromFloats(shape, Enumerable.Range(0, n).Select(_ => rng.Next(12) switch
            {
                0 when !divisor => float.NaN,
                1 => -0f,
                2 => 0f,
                _ => small ? rng.Next(-2, 3) : (float)((rng.NextDouble() * 20) - 10),
            }).Select(v => divisor && v == 0 ? 1.5f : v).ToArray()),
            DataType.Double => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => rng.Next(8) == 0 ? -0.0 : (rng.NextDouble() * 20) - 10).ToArray()),
            DataType.Int8 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (sbyte)Next(-128, 128)).ToArray()),
            DataType.UInt8 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (byte)Next(0, 256)).ToArray()),
            DataType.Int32 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => Next(-1000, 1000)).ToArray()),
            DataType.Int64 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (long)Next(-100000, 100000) * 100003L).ToArray()),
            DataType.UInt64 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (ulong)rng.NextInt64() * 3UL).ToArray()),
            _ => TensorValue.Create(DataType.Bool, shape, Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0).ToArray()),
        };
    }
}
