using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels.Arithmetic;
using SiliconSim.Numerics.Kernels.Logic;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Logic;

/// <summary>Comparison, boolean, Where, Mod, Min/Max, Neg/Abs, Expand, Tile and Range kernels against their scalar
/// references over generated broadcastable shapes.</summary>
public sealed class LogicArithmeticPropertyTests
{
    [Property(MaxTest = 150)]
    public void Compare_EqualsTheReference_ForEveryOperator(int seed)
    {
        var rng = new Random(seed);
        (int[] outShape, int[] aShape, int[] bShape) = Shapes(rng);
        // Small integers, so equal pairs are frequent.
        int[] a = Ints(rng, aShape, -3, 4), b = Ints(rng, bShape, -3, 4);
        foreach (CompareOp op in Enum.GetValues<CompareOp>())
        {
            bool[] expected = LogicReference.Compare(op, Array.ConvertAll(a, v => (double)v), aShape, Array.ConvertAll(b, v => (double)v), bShape, outShape);
            TensorValue y = LogicKernels.Compare(op, TensorValue.Create(DataType.Int32, aShape, a), TensorValue.Create(DataType.Int32, bShape, b));
            Assert.Equal(outShape, y.Shape.ToArray());
            Assert.Equal(expected, y.Items<bool>());
            TensorValue yf = LogicKernels.Compare(op, TensorValue.FromFloats(aShape, Array.ConvertAll(a, v => (float)v)), TensorValue.FromFloats(bShape, Array.ConvertAll(b, v => (float)v)));
            Assert.Equal(expected, yf.Items<bool>());
        }
    }

    [Property(MaxTest = 150)]
    public void BooleanOps_EqualTheirTruthTables(int seed)
    {
        var rng = new Random(seed);
        (int[] outShape, int[] aShape, int[] bShape) = Shapes(rng);
        bool[] a = Ints(rng, aShape, 0, 2).Select(v => v == 1).ToArray(), b = Ints(rng, bShape, 0, 2).Select(v => v == 1).ToArray();
        var ta = TensorValue.Create(DataType.Bool, aShape, a);
        var tb = TensorValue.Create(DataType.Bool, bShape, b);
        bool[] and = LogicKernels.Boolean(BoolOp.And, ta, tb).Items<bool>();
        bool[] or = LogicKernels.Boolean(BoolOp.Or, ta, tb).Items<bool>();
        bool[] xor = LogicKernels.Boolean(BoolOp.Xor, ta, tb).Items<bool>();
        for (int i = 0; i < and.Length; i++)
        {
            bool p = a[ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)], q = b[ElementwiseQuantReference.BroadcastOffset(i, outShape, bShape)];
            Assert.Equal(p && q, and[i]);
            Assert.Equal(p || q, or[i]);
            Assert.Equal(p != q, xor[i]);
        }

        Assert.Equal(a, LogicKernels.Not(LogicKernels.Not(ta)).Items<bool>());
    }

    [Property(MaxTest = 150)]
    public void Where_EqualsTheReference(int seed)
    {
        var rng = new Random(seed);
        (int[] outShape, int[] xShape, int[] yShape) = Shapes(rng);
        int[] cShape = outShape.Skip(rng.Next(outShape.Length + 1)).Select(d => rng.Next(2) == 0 ? 1 : d).ToArray();
        bool[] c = Ints(rng, cShape, 0, 2).Select(v => v == 1).ToArray();
        float[] x = Ints(rng, xShape, -50, 50).Select(v => (float)v).ToArray(), y = Ints(rng, yShape, -50, 50).Select(v => (float)v).ToArray();
        TensorValue r = LogicKernels.Where(TensorValue.Create(DataType.Bool, cShape, c), TensorValue.FromFloats(xShape, x), TensorValue.FromFloats(yShape, y));
        double[] expected = LogicReference.Where(c, cShape, Array.ConvertAll(x, v => (double)v), xShape, Array.ConvertAll(y, v => (double)v), yShape, outShape);
        Assert.Equal(expected, r.Items<float>().Select(v => (double)v).ToArray());
    }

    [Property(MaxTest = 150)]
    public void Mod_Int32_EqualsTheReference_ForBothSignConventions(int seed)
    {
        var rng = new Random(seed);
        (_, int[] aShape, int[] bShape) = Shapes(rng);
        int[] a = Ints(rng, aShape, -100, 100), b = Ints(rng, bShape, 1, 12).Select(v => rng.Next(2) == 0 ? v : -v).ToArray();
        foreach (bool fmod in new[] { false, true })
        {
            TensorValue y = ArithmeticKernels.Mod(TensorValue.Create(DataType.Int32, aShape, a), TensorValue.Create(DataType.Int32, bShape, b), fmod);
            int[] outShape = [.. y.Shape];
            for (int i = 0; i < y.Length; i++)
            {
                long p = a[ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)], q = b[ElementwiseQuantReference.BroadcastOffset(i, outShape, bShape)];
                Assert.Equal(ArithmeticReference.Mod(p, q, fmod), y.Items<int>()[i]);
            }
        }
    }

    [Property(MaxTest = 150)]
    public void MinMax_Variadic_FoldsTheReferenceLeftToRight(int seed)
    {
        var rng = new Random(seed);
        (int[] outShape, int[] aShape, int[] bShape) = Shapes(rng);
        int[] cShape = outShape.Skip(rng.Next(outShape.Length + 1)).ToArray();
        float[][] inputs = [Floats(rng, aShape), Floats(rng, bShape), Floats(rng, cShape)];
        int[][] shapes = [aShape, bShape, cShape];
        foreach (bool max in new[] { true, false })
        {
            TensorValue y = ArithmeticKernels.MinMax(max, inputs.Select((v, k) => TensorValue.FromFloats(shapes[k], v)).ToArray());
            for (int i = 0; i < y.Length; i++)
            {
                double acc = inputs[0][ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)];
                for (int k = 1; k < 3; k++)
                {
                    acc = ArithmeticReference.MinMax(max, acc, inputs[k][ElementwiseQuantReference.BroadcastOffset(i, outShape, shapes[k])]);
                }

                Assert.Equal(acc, (double)y.Items<float>()[i]);
            }
        }
    }

    [Property(MaxTest = 100)]
    public void NegAbs_AreSignBitOperations(int seed)
    {
        var rng = new Random(seed);
        float[] x = Floats(rng, [17]);
        var t = TensorValue.FromFloats([17], x);
        Assert.Equal(x, ArithmeticKernels.Neg(ArithmeticKernels.Neg(t)).Items<float>());
        Assert.Equal(x.Select(MathF.Abs).ToArray(), ArithmeticKernels.Abs(t).Items<float>());
        int[] xi = Ints(rng, [9], int.MinValue, int.MaxValue);
        Assert.Equal(xi.Select(v => unchecked(-v)).ToArray(), ArithmeticKernels.Neg(TensorValue.Create(DataType.Int32, [9], xi)).Items<int>());
    }

    [Property(MaxTest = 150)]
    public void ExpandAndTile_EqualTheReference(int seed)
    {
        var rng = new Random(seed);
        (int[] outShape, int[] xShape, _) = Shapes(rng);
        float[] x = Floats(rng, xShape);
        TensorValue e = ShapeKernels.Expand(TensorValue.FromFloats(xShape, x), outShape.Select(d => (long)d).ToArray());
        Assert.Equal(ArithmeticReference.Expand(Array.ConvertAll(x, v => (double)v), xShape, outShape), e.Items<float>().Select(v => (double)v).ToArray());
        long[] repeats = xShape.Select(_ => (long)rng.Next(0, 4)).ToArray();
        TensorValue t = ShapeKernels.Tile(TensorValue.FromFloats(xShape, x), repeats);
        Assert.Equal(ArithmeticReference.Tile(Array.ConvertAll(x, v => (double)v), xShape, repeats), t.Items<float>().Select(v => (double)v).ToArray());
    }

    [Property(MaxTest = 100)]
    public void Range_Int32_HasCeilCountAndConstantStep(int seed)
    {
        var rng = new Random(seed);
        int start = rng.Next(-50, 50), limit = rng.Next(-50, 50), delta = rng.Next(1, 7) * (rng.Next(2) == 0 ? 1 : -1);
        int[] y = ShapeKernels.Range(TensorValue.Scalar(DataType.Int32, start), TensorValue.Scalar(DataType.Int32, limit), TensorValue.Scalar(DataType.Int32, delta)).Items<int>();
        Assert.Equal(Math.Max(0, (int)Math.Ceiling((limit - start) / (double)delta)), y.Length);
        Assert.Equal(Enumerable.Range(0, y.Length).Select(i => start + (i * delta)).ToArray(), y);
    }

    /// <summary>An output shape of rank 0-4 and two input shapes that broadcast to it (dims dropped from the front or set to 1).</summary>
    internal static (int[] Out, int[] A, int[] B) Shapes(Random rng)
    {
        int rank = rng.Next(0, 5);
        int[] outShape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 5)).ToArray();
        int[] Derive() => outShape.Skip(rng.Next(rank + 1)).Select(d => rng.Next(3) == 0 ? 1 : d).ToArray();
        int[] a = Derive(), b = Derive();
        return (ShapeMath.Broadcast(a, b), a, b);
    }

    private static int[] Ints(Random rng, int[] shape, int lo, int hi) =>
        Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => rng.Next(lo, hi)).ToArray();

    private static float[] Floats(Random rng, int[] shape) =>
        Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => rng.Next(10) == 0 ? float.NaN : rng.Next(10) == 0 ? -0f : (float)rng.Next(-4, 5)).ToArray();
}
