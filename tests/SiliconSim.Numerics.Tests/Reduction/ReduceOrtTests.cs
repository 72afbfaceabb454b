using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Reduction;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Reduction;

/// <summary>
/// Reductions against ONNX Runtime over seeded shapes and axis sets that reach every ORT path (all axes, KR, RK, KRK and
/// the generic loop); floats bit for bit. The input passes through Neg inside the ORT graph so the reduced buffer is
/// ORT-allocated (64-byte aligned, as in a real graph); the kernel is fed Neg(x) too.
/// </summary>
public sealed class ReduceOrtTests(ITestOutputHelper output)
{
    public static TheoryData<string, DataType> Cases()
    {
        var data = new TheoryData<string, DataType>();
        foreach (string op in new[] { "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1", "ReduceL2" })
        {
            data.Add(op, DataType.Float);
        }

        foreach (string op in new[] { "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd" })
        {
            data.Add(op, DataType.Int32);
        }

        data.Add("ReduceSum", DataType.Int64);
        data.Add("ReduceMax", DataType.Int64);
        data.Add("ReduceSum", DataType.Double);
        data.Add("ReduceMean", DataType.Double);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reduce_MatchesOrtBitExactly(string op, DataType type)
    {
        var kind = Enum.Parse<ReduceOp>(op["Reduce".Length..]);
        int cases = op is "ReduceSum" or "ReduceMean" ? 80 : 30;
        int mismatched = 0, elements = 0;
        long maxUlp = 0;
        for (int seed = 0; seed < cases; seed++)
        {
            var rng = new Random((seed * 7919) + op.Length + (int)type);
            (int[] shape, long[] axes, bool keepDims) = RandomProblem(rng);
            TensorValue x = RandomTensor(rng, type, shape, kind);
            var b = new OnnxBuilder(opset: 18);
            b.Input("x", type, shape.Select(d => (int?)d).ToArray())
                .Initializer("axes", TensorValue.Create(DataType.Int64, [axes.Length], axes))
                .Node("Neg", ["x"], ["nx"])
                .Node(op, ["nx", "axes"], ["y"], attributes: ("keepdims", keepDims ? 1L : 0L))
                .Output("y", type);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", x));
            TensorValue actual = ReduceKernels.Reduce(kind, ArithmeticKernels.Neg(x), axes, keepDims);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            byte[] e = SiliconSim.Graph.Onnx.TensorProtos.ToRaw(expected), a = SiliconSim.Graph.Onnx.TensorProtos.ToRaw(actual);
            elements += expected.Length;
            if (!e.AsSpan().SequenceEqual(a))
            {
                (int bad, long ulp) = Compare(expected, actual);
                mismatched += bad;
                maxUlp = Math.Max(maxUlp, ulp);
                output.WriteLine($"{op} {type} seed {seed}: x{ShapeMath.Format(shape)} axes [{string.Join(',', axes)}] keepdims {keepDims} path {ReduceLayout.Create(shape, axes, keepDims).Path}: {bad} differ, max {ulp} ulp");
            }
        }

        output.WriteLine($"{op} {DataTypeInfo.Name(type)}: {elements - mismatched}/{elements} outputs exact over {cases} problems, max {maxUlp} ulp");
        Assert.Equal(0, mismatched);
    }

    [Theory]
    [InlineData("ReduceSum")]
    [InlineData("ReduceMean")]
    [InlineData("ReduceMax")]
    [InlineData("ReduceMin")]
    [InlineData("ReduceProd")]
    public void Reduce_EmptySet_MatchesOrt(string op)
    {
        var b = new OnnxBuilder(opset: 18);
        b.Input("x", DataType.Float, 2, 0, 3)
            .Initializer("axes", TensorValue.Create(DataType.Int64, [1], new long[] { 1 }))
            .Node(op, ["x", "axes"], ["y"]).Output("y", DataType.Float);
        TensorValue x = TensorValue.FromFloats([2, 0, 3], []);
        TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", x));
        TensorValue actual = ReduceKernels.Reduce(Enum.Parse<ReduceOp>(op["Reduce".Length..]), x, [1], true);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(expected), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(actual));
    }

    /// <summary>With NaNs the association order of Max/Min shows: Eigen's packet redux keeps a NaN its scalar loop skips.</summary>
    [Theory]
    [InlineData("ReduceMax")]
    [InlineData("ReduceMin")]
    public void ReduceMaxMin_WithNaNs_MatchOrtBitExactly(string op)
    {
        var rng = new Random(op.Length * 3);
        for (int seed = 0; seed < 150; seed++)
        {
            (int[] shape, long[] axes, bool keepDims) = RandomProblem(rng);
            float[] x = Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => rng.Next(12) == 0 ? float.NaN : (float)rng.Next(-50, 50)).ToArray();
            var b = new OnnxBuilder(opset: 18);
            b.Input("x", DataType.Float, shape.Select(d => (int?)d).ToArray())
                .Initializer("axes", TensorValue.Create(DataType.Int64, [axes.Length], axes))
                .Node("Neg", ["x"], ["nx"])
                .Node(op, ["nx", "axes"], ["y"], attributes: ("keepdims", keepDims ? 1L : 0L)).Output("y", DataType.Float);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", TensorValue.FromFloats(shape, x)));
            TensorValue actual = ReduceKernels.Reduce(Enum.Parse<ReduceOp>(op["Reduce".Length..]), ArithmeticKernels.Neg(TensorValue.FromFloats(shape, x)), axes, keepDims);
            bool same = expected.Items<float>().Select(v => float.IsNaN(v) ? float.NaN : v).SequenceEqual(actual.Items<float>().Select(v => float.IsNaN(v) ? float.NaN : v));
            Assert.True(same, $"seed {seed} x{ShapeMath.Format(shape)} axes [{string.Join(',', axes)}] path {ReduceLayout.Create(shape, axes, keepDims).Path} fast {ShapeMath.Format(ReduceLayout.Create(shape, axes, keepDims).FastShape)}");
        }
    }

    [Theory]
    [InlineData("ReduceMax")]
    [InlineData("ReduceMin")]
    public void Reduce_Bool_MatchesOrt(string op)
    {
        var rng = new Random(op.Length);
        for (int seed = 0; seed < 10; seed++)
        {
            (int[] shape, long[] axes, bool keepDims) = RandomProblem(rng);
            var x = TensorValue.Create(DataType.Bool, shape, Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => rng.Next(4) != 0).ToArray());
            var b = new OnnxBuilder(opset: 20);
            b.Input("x", DataType.Bool, shape.Select(d => (int?)d).ToArray())
                .Initializer("axes", TensorValue.Create(DataType.Int64, [axes.Length], axes))
                .Node(op, ["x", "axes"], ["y"], attributes: ("keepdims", keepDims ? 1L : 0L)).Output("y", DataType.Bool);
            TensorValue expected = OrtOracle.RunSingle(b.ToBytes(), ("x", x));
            TensorValue actual = ReduceKernels.Reduce(Enum.Parse<ReduceOp>(op["Reduce".Length..]), x, axes, keepDims);
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            Assert.Equal(expected.Items<bool>(), actual.Items<bool>());
        }
    }

    /// <summary>LayerNorm-style row means (the transformer case that feeds QuantizeLinear): long rows, aligned and not.</summary>
    [Theory]
    [InlineData(2, 7, 768)]
    [InlineData(1, 5, 99)]
    [InlineData(3, 3, 1023)]
    [InlineData(1, 2, 4099)]
    public void ReduceMean_LastAxisLongRows_MatchesOrtBitExactly(int batch, int rows, int width)
    {
        var rng = new Random(width);
        int[] shape = [batch, rows, width];
        float[] x = Enumerable.Range(0, batch * rows * width).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * 4)).ToArray();
        var b = new OnnxBuilder(opset: 18);
        b.Input("x", DataType.Float, batch, rows, width)
            .Initializer("axes", TensorValue.Create(DataType.Int64, [1], new long[] { -1 }))
            .Node("Neg", ["x"], ["nx"])
            .Node("ReduceMean", ["nx", "axes"], ["m"])
            .Node("Sub", ["nx", "m"], ["d"])
            .Node("Mul", ["d", "d"], ["d2"])
            .Node("ReduceMean", ["d2", "axes"], ["v"])
            .Output("m", DataType.Float).Output("v", DataType.Float);
        var outputs = OrtOracle.Run(b.ToBytes(), [("x", TensorValue.FromFloats(shape, x))]);
        TensorValue nx = ArithmeticKernels.Neg(TensorValue.FromFloats(shape, x));
        TensorValue m = ReduceKernels.Reduce(ReduceOp.Mean, nx, [-1], true);
        float[] nxs = nx.Items<float>(), ms = m.Items<float>();
        float[] d2 = Enumerable.Range(0, nxs.Length).Select(i => (nxs[i] - ms[i / width]) * (nxs[i] - ms[i / width])).ToArray();
        TensorValue v = ReduceKernels.Reduce(ReduceOp.Mean, TensorValue.FromFloats(shape, d2), [-1], true);
        Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(outputs[0].Value), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(m));
        Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(outputs[1].Value), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(v));
    }

    /// <summary>Rank 1-4, dims 1-6 with one long axis (up to 70, so rows span several packets), a random subset of axes.</summary>
    internal static (int[] Shape, long[] Axes, bool KeepDims) RandomProblem(Random rng)
    {
        int rank = rng.Next(1, 5);
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = rng.Next(1, 7);
        }

        shape[rng.Next(rank)] = rng.Next(1, 71);
        var axes = Enumerable.Range(0, rank).Where(_ => rng.Next(2) == 0).Select(a => (long)(rng.Next(2) == 0 ? a : a - rank)).ToArray();
        return (shape, axes, rng.Next(2) == 0);
    }

    private static TensorValue RandomTensor(Random rng, DataType type, int[] shape, ReduceOp op)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return type switch
        {
            // Mixed magnitudes make the association order visible in the last bits.
            DataType.Float => TensorValue.FromFloats(shape, Enumerable.Range(0, n).Select(_ => op == ReduceOp.Prod
                ? (float)(0.5 + rng.NextDouble()) * (rng.Next(2) == 0 ? -1 : 1)
                : (float)((rng.NextDouble() * 2) - 1) * MathF.Pow(2, rng.Next(-10, 10))).ToArray()),
            DataType.Double => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => ((rng.NextDouble() * 2) - 1) * Math.Pow(2, rng.Next(-30, 30))).ToArray()),
            DataType.Int32 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => op == ReduceOp.Prod ? rng.Next(-3, 4) : rng.Next()).ToArray()),
            _ => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => rng.NextInt64(long.MinValue, long.MaxValue)).ToArray()),
        };
    }

    private static (int Bad, long MaxUlp) Compare(TensorValue e, TensorValue a)
    {
        int bad = 0;
        long ulp = 0;
        for (int i = 0; i < e.Length; i++)
        {
            long d = e.Type switch
            {
                DataType.Float => Math.Abs((long)BitConverter.SingleToInt32Bits(e.Items<float>()[i]) - BitConverter.SingleToInt32Bits(a.Items<float>()[i])),
                DataType.Double => Math.Abs(BitConverter.DoubleToInt64Bits(e.Items<double>()[i]) - BitConverter.DoubleToInt64Bits(a.Items<double>()[i])),
                DataType.Int32 => e.Items<int>()[i] == a.Items<int>()[i] ? 0 : long.MaxValue,
                _ => e.Items<long>()[i] == a.Items<long>()[i] ? 0 : long.MaxValue,
            };
            bad += d == 0 ? 0 : 1;
            ulp = Math.Max(ulp, d);
        }

        return (bad, ulp);
    }
}
