using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>
/// The logic, reduction, math, shape and CastLike handlers through the whole pipeline (import, lowering, execution)
/// against ONNX Runtime, across the opset changes they honour: Reduce* axes as an attribute before the axes-input
/// version (ReduceSum 13, the others 18) and as an input after, noop_with_empty_axes, keepdims, select_last_index,
/// CastLike's saturate. Every output bit for bit.
/// </summary>
public sealed class LogicReductionOpsTests
{
    public static TheoryData<string, int, string> ReduceCases() => new()
    {
        { "ReduceSum", 11, "attr" }, { "ReduceSum", 13, "input" }, { "ReduceSum", 13, "none" }, { "ReduceSum", 13, "noop" },
        { "ReduceMean", 13, "attr" }, { "ReduceMean", 18, "input" }, { "ReduceMean", 18, "none" },
        { "ReduceMax", 13, "attr" }, { "ReduceMax", 18, "input" }, { "ReduceMax", 18, "noop" },
        { "ReduceMin", 18, "input" }, { "ReduceProd", 18, "input" }, { "ReduceSumSquare", 13, "attr" },
        { "ReduceSumSquare", 18, "noop" }, { "ReduceL1", 18, "input" }, { "ReduceL2", 13, "attr" }, { "ReduceL2", 18, "noop" },
    };

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void Reduce_AxesByOpset_MatchOrt(string op, int opset, string axesMode)
    {
        var rng = new Random(opset + op.Length + axesMode.Length);
        int[] shape = [3, 4, 37];
        float[] x = Enumerable.Range(0, 3 * 4 * 37).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        long[] axes = [-1, 0];
        foreach (long keep in new[] { 0L, 1L })
        {
            var b = new OnnxBuilder(opset);
            b.Input("x", DataType.Float, 3, 4, 37).Node("Neg", ["x"], ["nx"]);
            var attributes = new List<(string, object)> { ("keepdims", keep) };
            string[] inputs = ["nx"];
            switch (axesMode)
            {
                case "attr":
                    attributes.Add(("axes", axes));
                    break;
                case "input":
                    b.Initializer("axes", TensorValue.Create(DataType.Int64, [2], axes));
                    inputs = ["nx", "axes"];
                    break;
                case "noop":
                    attributes.Add(("noop_with_empty_axes", 1L));
                    break;
            }

            b.Node(op, inputs, ["y"], attributes: [.. attributes]).Output("y", DataType.Float);
            AssertSameAsOrt(b, ("x", TensorValue.FromFloats(shape, x)));
        }
    }

    [Fact]
    public void ArgMaxArgMin_SelectLastIndex_MatchOrt()
    {
        var x = TensorValue.FromFloats([2, 5], [1, 3, 3, 0, 3, -1, -1, 2, -1, 0]);
        foreach (string op in new[] { "ArgMax", "ArgMin" })
        {
            foreach (long last in new[] { 0L, 1L })
            {
                var b = new OnnxBuilder(13);
                b.Input("x", DataType.Float, 2, 5).Node(op, ["x"], ["y"], attributes: [("axis", -1L), ("keepdims", 0L), ("select_last_index", last)]).Output("y", DataType.Int64);
                AssertSameAsOrt(b, ("x", x));
            }
        }
    }

    [Theory]
    [InlineData(15, DataType.Float, DataType.Int32)]
    [InlineData(19, DataType.Float, DataType.Int64)]
    [InlineData(19, DataType.Float, DataType.Float16)]
    [InlineData(19, DataType.Int32, DataType.Float)]
    [InlineData(21, DataType.Float, DataType.UInt8)]
    [InlineData(21, DataType.Float, DataType.Bool)]
    public void CastLike_MatchesOrt(int opset, DataType from, DataType to)
    {
        TensorValue x = from == DataType.Float
            ? TensorValue.FromFloats([6], [-2.5f, -0.5f, 0f, 1.7f, 200.25f, 65504.5f])
            : TensorValue.Create(DataType.Int32, [6], new[] { -7, 0, 1, 16777217, int.MaxValue, int.MinValue });
        var b = new OnnxBuilder(opset);
        b.Input("x", from, 6).Initializer("like", TensorValue.Zeros(to, [1])).Node("CastLike", ["x", "like"], ["y"]).Output("y", to);
        AssertSameAsOrt(b, ("x", x));
    }

    [Fact]
    public void ShapeOps_MatchOrt()
    {
        var x = TensorValue.FromFloats([2, 1, 3], [1, -2, 3, 0.5f, -0f, 6]);
        var b = new OnnxBuilder(18);
        b.Input("x", DataType.Float, 2, 1, 3)
            .Initializer("shape", TensorValue.Create(DataType.Int64, [3], new long[] { 2, 4, 1 }))
            .Initializer("repeats", TensorValue.Create(DataType.Int64, [3], new long[] { 1, 2, 2 }))
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.25f)).Initializer("l", TensorValue.Scalar(DataType.Float, 3.1f)).Initializer("d", TensorValue.Scalar(DataType.Float, 0.35f))
            .Node("Size", ["x"], ["size"]).Output("size", DataType.Int64)
            .Node("Shape", ["x"], ["xs"])
            .Node("ConstantOfShape", ["xs"], ["c"], attributes: [("value", TensorValue.Create(DataType.Int64, [1], new long[] { 7 }))]).Output("c", DataType.Int64)
            .Node("Expand", ["x", "shape"], ["e"]).Output("e", DataType.Float)
            .Node("Tile", ["x", "repeats"], ["t"]).Output("t", DataType.Float)
            .Node("Range", ["s", "l", "d"], ["r"]).Output("r", DataType.Float)
            .Node("Min", ["x", "e", "x"], ["mn"]).Output("mn", DataType.Float)
            .Node("Less", ["x", "e"], ["lt"]).Output("lt", DataType.Bool)
            .Node("Not", ["lt"], ["nlt"]).Output("nlt", DataType.Bool)
            .Node("Where", ["lt", "x", "e"], ["w"]).Output("w", DataType.Float)
            .Node("Abs", ["x"], ["ab"]).Node("Neg", ["ab"], ["ng"]).Output("ng", DataType.Float);
        AssertSameAsOrt(b, ("x", x));
    }

    private static void AssertSameAsOrt(OnnxBuilder builder, params (string Name, TensorValue Value)[] feeds)
    {
        byte[] model = builder.ToBytes();
        var expected = OrtOracle.Run(model, feeds);
        var graph = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        var actual = GraphExecutor.Run(graph, feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Value.Type, actual[i].Value.Type);
            Assert.Equal(expected[i].Value.Shape.ToArray(), actual[i].Value.Shape.ToArray());
            Assert.Equal(TensorProtos.ToRaw(expected[i].Value), TensorProtos.ToRaw(actual[i].Value));
        }
    }
}
