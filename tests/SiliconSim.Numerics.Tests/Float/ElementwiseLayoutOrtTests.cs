using SiliconSim.Numerics.Kernels.Elementwise;
using SiliconSim.Numerics.Kernels.Layout;
using SiliconSim.TestSupport;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>Element-wise and layout kernels against ONNX Runtime on seeded random shapes; every output bit for bit.</summary>
public sealed class ElementwiseLayoutOrtTests
{
    public static TheoryData<string, DataType> BinaryCases()
    {
        var data = new TheoryData<string, DataType>();
        foreach (string op in new[] { "Add", "Sub", "Mul", "Div" })
        {
            foreach (DataType t in new[] { DataType.Float, DataType.Int8, DataType.UInt8, DataType.Int32, DataType.Int64 })
            {
                data.Add(op, t);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_MatchesOrtBitExactly(string op, DataType type)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var rng = new Random(seed + (31 * op.Length) + (int)type);
            int[] outShape = [rng.Next(1, 4), rng.Next(1, 5), rng.Next(1, 6)];
            int[] aShape = outShape.Select(d => rng.Next(3) == 0 ? 1 : d).ToArray();
            int[] bShape = outShape.Skip(rng.Next(0, 3)).Select(d => rng.Next(3) == 0 ? 1 : d).ToArray();
            TensorValue a = Random(rng, type, aShape, false);
            TensorValue b = Random(rng, type, bShape, op == "Div");
            var builder = new OnnxBuilder(opset: 14);
            builder.Input("a", type, aShape.Select(d => (int?)d).ToArray()).Input("b", type, bShape.Select(d => (int?)d).ToArray());
            builder.Node(op, ["a", "b"], ["y"]).Output("y", type);
            TensorValue expected = OrtOracle.RunSingle(builder.ToBytes(), ("a", a), ("b", b));
            TensorValue actual = ElementwiseKernels.Binary(Enum.Parse<BinaryOp>(op), a, b);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(expected), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(actual));
        }
    }

    [Theory]
    [InlineData(DataType.Float)]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.Int32)]
    public void ReluAndClip_MatchOrtBitExactly(DataType type)
    {
        var rng = new Random((int)type);
        TensorValue x = Random(rng, type, [3, 7], false);
        var builder = new OnnxBuilder(opset: 14);
        builder.Input("x", type, 3, 7).Node("Relu", ["x"], ["r"]).Output("r", type);
        Assert.Equal(Raw(OrtOracle.RunSingle(builder.ToBytes(), ("x", x))), Raw(ElementwiseKernels.Relu(x)));

        TensorValue lo = Random(rng, type, [], false);
        TensorValue hi = Random(rng, type, [], false);
        var clip = new OnnxBuilder(opset: 13);
        clip.Input("x", type, 3, 7).Initializer("lo", lo).Initializer("hi", hi).Node("Clip", ["x", "lo", "hi"], ["y"]).Output("y", type);
        Assert.Equal(Raw(OrtOracle.RunSingle(clip.ToBytes(), ("x", x))), Raw(ElementwiseKernels.Clip(x, lo, hi)));
    }

    [Fact]
    public void Relu_SignedZeroAndNaN_MatchOrt()
    {
        var x = TensorValue.FromFloats([4], [-0f, float.NaN, -1f, 2f]);
        var builder = new OnnxBuilder(opset: 14);
        builder.Input("x", DataType.Float, 4).Node("Relu", ["x"], ["r"]).Output("r", DataType.Float);
        Assert.Equal(Raw(OrtOracle.RunSingle(builder.ToBytes(), ("x", x))), Raw(ElementwiseKernels.Relu(x)));
    }

    [Theory]
    [InlineData(DataType.Float)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int64)]
    public void Layout_MatchesOrtBitExactly(DataType type)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var rng = new Random(seed * 7);
            int[] shape = [rng.Next(1, 4), rng.Next(1, 5), rng.Next(1, 4), rng.Next(1, 6)];
            TensorValue x = Random(rng, type, shape, false);
            int[] perm = [.. Enumerable.Range(0, 4).OrderBy(_ => rng.Next())];
            long[] starts = [.. shape.Select(d => (long)rng.Next(-d - 1, d + 1))];
            long[] ends = [.. shape.Select(d => rng.Next(4) == 0 ? long.MaxValue : rng.Next(-d - 1, d + 2))];
            long[] steps = [.. shape.Select(_ => (long)(rng.Next(2) == 0 ? rng.Next(1, 3) : -rng.Next(1, 3)))];
            long[] axes = [0, 1, 2, 3];
            var indices = TensorValue.Create(DataType.Int64, [2, 2], new long[] { 0, -1, shape[1] - 1, 0 });
            var b = new OnnxBuilder(opset: 13);
            b.Input("x", type, shape.Select(d => (int?)d).ToArray());
            b.Initializer("st", TensorValue.Create(DataType.Int64, [4], starts)).Initializer("en", TensorValue.Create(DataType.Int64, [4], ends));
            b.Initializer("ax", TensorValue.Create(DataType.Int64, [4], axes)).Initializer("sp", TensorValue.Create(DataType.Int64, [4], steps));
            b.Initializer("ix", indices);
            b.Node("Transpose", ["x"], ["t"], attributes: [("perm", perm.Select(p => (long)p).ToArray())]);
            b.Node("Slice", ["x", "st", "en", "ax", "sp"], ["s"]);
            b.Node("Gather", ["x", "ix"], ["g"], attributes: [("axis", 1L)]);
            b.Node("Concat", ["x", "x"], ["c"], attributes: [("axis", -2L)]);
            b.Output("t", type).Output("s", type).Output("g", type).Output("c", type);
            var ort = OrtOracle.Run(b.ToBytes(), [("x", x)]);
            TensorValue[] mine =
            [
                LayoutKernels.Transpose(x, perm),
                LayoutKernels.Slice(x, starts, ends, axes, steps),
                LayoutKernels.Gather(x, indices, 1),
                LayoutKernels.Concat([x, x], -2),
            ];
            for (int i = 0; i < mine.Length; i++)
            {
                Assert.True(ort[i].Value.Shape.SequenceEqual(mine[i].Shape), $"output {i} shape {ort[i].Value.ShapeText} vs {mine[i].ShapeText}; in {x.ShapeText} starts [{string.Join(",", starts)}] ends [{string.Join(",", ends)}] steps [{string.Join(",", steps)}]");
                Assert.Equal(Raw(ort[i].Value), Raw(mine[i]));
            }
        }
    }

    private static byte[] Raw(TensorValue t) => SiliconSim.Graph.Onnx.TensorProtos.ToRaw(t);

    private static TensorValue Random(Random rng, DataType type, int[] shape, bool nonZero)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        Array data = type switch
        {
            DataType.Float => RandomFloats(rng, n, 10f).Select(v => nonZero && v == 0 ? 1f : v).ToArray(),
            DataType.Int8 => Enumerable.Range(0, n).Select(_ => (sbyte)Pick(rng, -128, 128, nonZero)).ToArray(),
            DataType.UInt8 => Enumerable.Range(0, n).Select(_ => (byte)Pick(rng, 0, 256, nonZero)).ToArray(),
            DataType.Int32 => Enumerable.Range(0, n).Select(_ => Pick(rng, -100000, 100000, nonZero) * (rng.Next(4) == 0 ? 30000 : 1)).ToArray(),
            DataType.Int64 => Enumerable.Range(0, n).Select(_ => (long)Pick(rng, -100000, 100000, nonZero) * (rng.Next(4) == 0 ? 3_000_000_000L : 1)).ToArray(),
            _ => throw new ArgumentException(type.ToString()),
        };
        return TensorValue.Create(type, shape, data);
    }

    private static int Pick(Random rng, int lo, int hi, bool nonZero)
    {
        int v = rng.Next(lo, hi);
        return nonZero && v == 0 ? 1 : v;
    }
}
