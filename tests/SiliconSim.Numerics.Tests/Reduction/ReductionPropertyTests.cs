using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels.Reduction;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Reduction;

/// <summary>The reduction kernels against their scalar references over generated shapes and axis sets.</summary>
public sealed class ReductionPropertyTests
{
    [Property(MaxTest = 150)]
    public void ReduceSum_Float_IsWithinTheSummationErrorBoundOfTheExactSum(int seed)
    {
        var rng = new Random(seed);
        (int[] shape, long[] axes, bool keep, bool[] reduced) = Problem(rng);
        float[] x = Floats(rng, shape);
        TensorValue y = ReduceKernels.Reduce(ReduceOp.Sum, TensorValue.FromFloats(shape, x), axes, keep);
        double[] xd = Array.ConvertAll(x, v => (double)v);
        double[] exact = ReductionReference.Sum(xd, shape, reduced, y.Length);
        double[] scale = ReductionReference.SumAbs(xd, shape, reduced, y.Length);
        int n = Count(shape, reduced);
        Assert.Equal(ExpectedShape(shape, reduced, keep), y.Shape.ToArray());
        for (int i = 0; i < y.Length; i++)
        {
            // Any order of n − 1 fp32 additions stays within (n − 1)·u·Σ|x| of the exact sum (u = 2^-24), to first order.
            double bound = ((n * Math.ScaleB(1.0, -24)) + 1e-12) * scale[i];
            Assert.InRange(y.Items<float>()[i], exact[i] - bound, exact[i] + bound);
        }
    }

    [Property(MaxTest = 150)]
    public void ReduceMaxMin_Float_EqualTheReference(int seed)
    {
        var rng = new Random(seed);
        (int[] shape, long[] axes, bool keep, bool[] reduced) = Problem(rng);
        float[] x = Floats(rng, shape);
        double[] xd = Array.ConvertAll(x, v => (double)v);
        foreach (bool max in new[] { true, false })
        {
            TensorValue y = ReduceKernels.Reduce(max ? ReduceOp.Max : ReduceOp.Min, TensorValue.FromFloats(shape, x), axes, keep);
            Assert.Equal(ReductionReference.MaxMin(max, xd, shape, reduced, y.Length), y.Items<float>().Select(v => (double)v).ToArray());
        }
    }

    [Property(MaxTest = 150)]
    public void ReduceSumAndMean_Int32_EqualTheExactValueSaturated(int seed)
    {
        var rng = new Random(seed);
        (int[] shape, long[] axes, bool keep, bool[] reduced) = Problem(rng);
        int[] x = Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => rng.Next(4) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-1000, 1000)).ToArray();
        double[] exact = ReductionReference.Sum(Array.ConvertAll(x, v => (double)v), shape, reduced, (int)(ShapeMath.ElementCount(ExpectedShape(shape, reduced, keep))));
        int n = Count(shape, reduced);
        int[] sum = ReduceKernels.Reduce(ReduceOp.Sum, TensorValue.Create(DataType.Int32, shape, x), axes, keep).Items<int>();
        int[] mean = ReduceKernels.Reduce(ReduceOp.Mean, TensorValue.Create(DataType.Int32, shape, x), axes, keep).Items<int>();
        Assert.Equal(exact.Select(Saturate).ToArray(), sum);
        Assert.Equal(exact.Select(s => Saturate(s / n)).ToArray(), mean);
    }

    [Property(MaxTest = 150)]
    public void ArgMaxArgMin_EqualTheReference_IncludingTies(int seed)
    {
        var rng = new Random(seed);
        int rank = rng.Next(1, 4);
        int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
        int axis = rng.Next(rank);
        // Few distinct values, so ties decide first versus last index.
        float[] x = Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)rng.Next(-2, 3)).ToArray();
        double[] xd = Array.ConvertAll(x, v => (double)v);
        foreach (bool max in new[] { true, false })
        {
            foreach (bool last in new[] { true, false })
            {
                TensorValue y = ReduceKernels.ArgMinMax(max, TensorValue.FromFloats(shape, x), axis - (rng.Next(2) * rank), true, last);
                Assert.Equal(ReductionReference.ArgMinMax(max, last, xd, shape, axis), y.Items<long>());
            }
        }
    }

    [Property(MaxTest = 50)]
    public void EmptyAxes_WithNoop_AreTheIdentityOrTheElementTransform(int seed)
    {
        var rng = new Random(seed);
        (int[] shape, _, _, _) = Problem(rng);
        var x = TensorValue.FromFloats(shape, Floats(rng, shape));
        Assert.Same(x, ReduceKernels.Reduce(ReduceOp.Sum, x, [], true, noopWithEmptyAxes: true));
        Assert.Equal(x.Items<float>().Select(MathF.Abs).ToArray(), ReduceKernels.Reduce(ReduceOp.L1, x, [], true, noopWithEmptyAxes: true).Items<float>());
    }

    internal static (int[] Shape, long[] Axes, bool KeepDims, bool[] Reduced) Problem(Random rng)
    {
        int rank = rng.Next(0, 5);
        int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
        if (rank > 0)
        {
            shape[rng.Next(rank)] = rng.Next(1, 40);
        }

        long[] axes = Enumerable.Range(0, rank).Where(_ => rng.Next(2) == 0).Select(a => (long)a).ToArray();
        bool[] reduced = Enumerable.Range(0, rank).Select(d => axes.Length == 0 || axes.Contains(d)).ToArray();
        return (shape, axes, rng.Next(2) == 0, reduced);
    }

    private static int[] ExpectedShape(int[] shape, bool[] reduced, bool keep) =>
        shape.Select((d, i) => (d, i)).Where(t => keep || !reduced[t.i]).Select(t => reduced[t.i] ? 1 : t.d).ToArray();

    private static int Count(int[] shape, bool[] reduced) => shape.Where((_, i) => reduced[i]).Aggregate(1, (p, d) => p * d);

    private static float[] Floats(Random rng, int[] shape) =>
        Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)((rng.NextDouble() * 2) - 1) * MathF.Pow(2, rng.Next(-8, 8))).ToArray();

    private static int Saturate(double v) => v >= int.MaxValue ? int.MaxValue : v <= int.MinValue ? int.MinValue : (int)v;
}
