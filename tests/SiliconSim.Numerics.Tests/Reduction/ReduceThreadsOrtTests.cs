using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Reduction;
using SiliconSim.TestSupport;

namespace SiliconSim.Numerics.Tests.Reduction;

/// <summary>
/// ORT picks its reduction path by the session's intra-op thread count (reduction_ops.cc, CommonFastReduceSwitch), so a
/// four-thread session rounds some shapes differently from a one-thread one; the kernel reproduces both when told the
/// thread count.
/// </summary>
public sealed class ReduceThreadsOrtTests
{
    [Theory]
    [InlineData(new[] { 3, 9, 5 }, new long[] { 1 })]
    [InlineData(new[] { 6, 9, 5 }, new long[] { 1 })]
    [InlineData(new[] { 9, 3, 7 }, new long[] { 0, 2 })]
    [InlineData(new[] { 9, 5, 7 }, new long[] { 0, 2 })]
    [InlineData(new[] { 40, 300 }, new long[] { 0 })]
    [InlineData(new[] { 70, 1100 }, new long[] { 0 })]
    public void ReduceSum_MatchesOrtAtOneAndFourThreads(int[] shape, long[] axes)
    {
        var rng = new Random(shape.Sum());
        float[] x = Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)((rng.NextDouble() * 2) - 1) * MathF.Pow(2, rng.Next(-8, 8))).ToArray();
        var b = new OnnxBuilder(opset: 18);
        b.Input("x", DataType.Float, shape.Select(d => (int?)d).ToArray())
            .Initializer("axes", TensorValue.Create(DataType.Int64, [axes.Length], axes))
            .Node("Neg", ["x"], ["nx"]).Node("ReduceSum", ["nx", "axes"], ["y"]).Output("y", DataType.Float);
        byte[] model = b.ToBytes();
        TensorValue nx = ArithmeticKernels.Neg(TensorValue.FromFloats(shape, x));
        foreach (int threads in new[] { 1, 4 })
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            using var session = new InferenceSession(model, options);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, shape))]);
            float[] expected = results[0].AsTensor<float>().ToArray();
            float[] actual = ReduceKernels.Reduce(ReduceOp.Sum, nx, axes, true, degreeOfParallelism: threads).Items<float>();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
