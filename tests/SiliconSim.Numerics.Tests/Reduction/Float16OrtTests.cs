using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Logic;
using SiliconSim.Numerics.Kernels.Reduction;
using SiliconSim.TestSupport;

namespace SiliconSim.Numerics.Tests.Reduction;

/// <summary>float16 tensors through the new kernels against ONNX Runtime (which runs them through fp32 and rounds once):
/// every reduction over every path of a [3,4,37] input, comparisons, Min/Max, Neg, Abs and Where, bit for bit.</summary>
public sealed class Float16OrtTests
{
    [Fact]
    public void Float16_ReductionsAndElementwise_MatchOrtBitExactly()
    {
        var rng = new Random(3);
        int[] shape = [3, 4, 37];
        Half[] x = Enumerable.Range(0, 3 * 4 * 37).Select(_ => (Half)((rng.NextDouble() * 2) - 1)).ToArray();
        Half[] x2 = Enumerable.Range(0, 3 * 4 * 37).Select(_ => (Half)((rng.NextDouble() * 2) - 1)).ToArray();
        var t = TensorValue.Create(DataType.Float16, shape, x);
        var t2 = TensorValue.Create(DataType.Float16, shape, x2);
        foreach (string op in new[] { "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceSumSquare", "ReduceL1" })
        {
            foreach (long[] axes in new[] { new long[] { 2 }, new long[] { 0 }, new long[] { 1 }, new long[] { 0, 2 }, new long[] { 0, 1, 2 } })
            {
                {
                    var b = new OnnxBuilder(18);
                    b.Input("x", DataType.Float16, shape.Select(d => (int?)d).ToArray()).Initializer("axes", TensorValue.Create(DataType.Int64, [axes.Length], axes))
                        .Node("Neg", ["x"], ["nx"]).Node(op, ["nx", "axes"], ["y"]).Output("y", DataType.Float16);
                    Half[] e = OrtOracle.RunSingle(b.ToBytes(), ("x", t)).Items<Half>();
                    Half[] a = ReduceKernels.Reduce(Enum.Parse<ReduceOp>(op["Reduce".Length..]), ArithmeticKernels.Neg(t), axes, true).Items<Half>();
                    Assert.Equal(e.Select(BitConverter.HalfToUInt16Bits), a.Select(BitConverter.HalfToUInt16Bits));
                }
            }
        }

        foreach (string op in new[] { "Less", "Equal", "Min", "Max", "Neg", "Abs", "Where" })
        {
            {
                var b = new OnnxBuilder(18);
                b.Input("x", DataType.Float16, shape.Select(d => (int?)d).ToArray()).Input("x2", DataType.Float16, shape.Select(d => (int?)d).ToArray());
                if (op is "Neg" or "Abs")
                {
                    b.Node(op, ["x"], ["y"]).Output("y", DataType.Float16);
                }
                else if (op == "Where")
                {
                    b.Node("Less", ["x", "x2"], ["c"]).Node(op, ["c", "x", "x2"], ["y"]).Output("y", DataType.Float16);
                }
                else
                {
                    b.Node(op, ["x", "x2"], ["y"]).Output("y", op is "Less" or "Equal" ? DataType.Bool : DataType.Float16);
                }

                var e = OrtOracle.Run(b.ToBytes(), [("x", t), ("x2", t2)])[0].Value;
                TensorValue a = op switch
                {
                    "Neg" => ArithmeticKernels.Neg(t),
                    "Abs" => ArithmeticKernels.Abs(t),
                    "Min" => ArithmeticKernels.MinMax(false, [t, t2]),
                    "Max" => ArithmeticKernels.MinMax(true, [t, t2]),
                    "Where" => LogicKernels.Where(LogicKernels.Compare(CompareOp.Less, t, t2), t, t2),
                    _ => LogicKernels.Compare(Enum.Parse<CompareOp>(op), t, t2),
                };
                Assert.Equal(SiliconSim.Graph.Onnx.TensorProtos.ToRaw(e), SiliconSim.Graph.Onnx.TensorProtos.ToRaw(a));
            }
        }
    }
}
