using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Elementwise;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The fast paths a transformer takes give the bits of their scalar references: fp32 Add/Sub/Mul/Div broadcasts
/// against <see cref="ElementwiseKernels.Apply{T}"/>'s element loop (special values included), and the row-group
/// QLinearSoftmax against <see cref="QLinearSoftmax.Compute{T}"/> at any thread count.
/// </summary>
[Properties(MaxTest = 100)]
public sealed class TransformerKernelPropertyTests
{
    private static readonly float[] s_special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, -float.Epsilon, float.MaxValue, 1e-40f, 3f];

    [Property]
    public void FloatBinary_EqualsElementLoop(NonNegativeInt opIndex, NonNegativeInt shapeKind, int seed)
    {
        var rng = new Random(seed);
        var op = (BinaryOp)(opIndex.Get % 4);
        int rows = rng.Next(1, 6), cols = rng.Next(1, 40);
        (int[] aShape, int[] bShape) = (shapeKind.Get % 5) switch
        {
            0 => (new[] { 2, rows, cols }, new[] { 2, rows, cols }),
            1 => ([2, rows, cols], [1]),
            2 => ([cols], [2, rows, cols]),
            3 => ([2, rows, cols], [1, rows, cols]),
            _ => ([rows, cols], []),
        };
        float[] a = Values(rng, (int)ShapeMath.ElementCount(aShape));
        float[] b = Values(rng, (int)ShapeMath.ElementCount(bShape));
        int[] shape = ShapeMath.Broadcast(aShape, bShape);
        Func<float, float, float> f = op switch
        {
            BinaryOp.Add => (p, q) => p + q,
            BinaryOp.Sub => (p, q) => p - q,
            BinaryOp.Mul => (p, q) => p * q,
            _ => (p, q) => p / q,
        };
        float[] expected = ElementwiseKernels.Apply(a, aShape, b, bShape, shape, f);
        TensorValue y = ElementwiseKernels.Binary(op, TensorValue.FromFloats(aShape, a), TensorValue.FromFloats(bShape, b));
        Assert.Equal(shape, y.Shape);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), y.Items<float>().Select(BitConverter.SingleToInt32Bits));
    }

    [Property]
    public void QLinearSoftmaxRows_EqualsScalarReference(PositiveInt rows, PositiveInt length, PositiveInt threads, bool signed, int seed)
    {
        var rng = new Random(seed);
        int r = (rows.Get % 20) + 1, d = (length.Get % 40) + 1;
        float xScale = (float)(rng.NextDouble() * 0.2) + 1e-4f;
        // Tiny output scales make entry · Y overflow and exercise the non-finite codes.
        float yScale = rng.Next(4) == 0 ? 1e-38f : (float)(rng.NextDouble() / 200) + 1e-6f;
        int zp = signed ? rng.Next(-128, 128) : rng.Next(256);
        float[] table = QLinearSoftmax.BuildTable(xScale, d, signed);
        var parallelism = new Parallelism((threads.Get % 3) + 1);
        if (signed)
        {
            sbyte[] x = IntKernelGenerators.Codes<sbyte>(rng, r * d);
            var expected = new sbyte[x.Length];
            var y = new sbyte[x.Length];
            QLinearSoftmax.Compute<sbyte>(x, d, table, yScale, zp, expected);
            QLinearSoftmax.ComputeRows(x, d, table, yScale, zp, y, parallelism);
            Assert.Equal(expected, y);
        }
        else
        {
            byte[] x = IntKernelGenerators.Codes<byte>(rng, r * d);
            var expected = new byte[x.Length];
            var y = new byte[x.Length];
            QLinearSoftmax.Compute<byte>(x, d, table, yScale, zp, expected);
            QLinearSoftmax.ComputeRows(x, d, table, yScale, zp, y, parallelism);
            Assert.Equal(expected, y);
        }
    }

    private static float[] Values(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.Next(5) == 0 ? s_special[rng.Next(s_special.Length)] : (float)((rng.NextDouble() - 0.5) * 10))];
}
