using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Elementwise;
using SiliconSim.Numerics.Kernels.Layout;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The fast paths a transformer takes give the bits of their scalar references: fp32 Add/Sub/Mul/Div broadcasts
/// against <see cref="ElementwiseKernels.Apply{T}"/>'s element loop (special values included), and the row-group
/// QLinearSoftmax against <see cref="QLinearSoftmax.Compute{T}"/> at any thread count, and QLinearAdd's vector
/// lanes against <see cref="QLinearAdd.SpanScalar{T}"/>.
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

    [Property]
    public void QLinearAddSpan_EqualsScalarReference(PositiveInt length, bool scalarB, bool signed, int seed)
    {
        var rng = new Random(seed);
        int n = (length.Get % 70) + 1;
        // Scales from tiny to huge, so some sums leave T's range and some overflow int32 (cvtps2dq's indefinite value).
        float Scale() => rng.Next(6) == 0 ? 1e30f : (float)Math.Pow(10, rng.NextDouble() * 4 - 3);
        float sa = Scale(), sb = Scale(), sc = Scale();
        if (signed)
        {
            Check<sbyte>(rng, n, scalarB, sa, sb, sc, rng.Next(-128, 128), rng.Next(-128, 128), rng.Next(-128, 128));
        }
        else
        {
            Check<byte>(rng, n, scalarB, sa, sb, sc, rng.Next(256), rng.Next(256), rng.Next(256));
        }
    }

    private static void Check<T>(Random rng, int n, bool scalarB, float sa, float sb, float sc, int za, int zb, int zc)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        T[] a = IntKernelGenerators.Codes<T>(rng, n);
        T[] b = IntKernelGenerators.Codes<T>(rng, scalarB ? 1 : n);
        var expected = new T[n];
        var y = new T[n];
        QLinearAdd.SpanScalar<T>(a, sa, za, b, sb, zb, sc, zc, expected, scalarB);
        QLinearAdd.Span<T>(a, sa, za, b, sb, zb, sc, zc, y, scalarB);
        Assert.Equal(expected, y);
    }

    [Property]
    public void Transpose_EqualsIndexMap(PositiveInt rank, NonNegativeInt kind, int seed)
    {
        int k = kind.Get % 3;
        bool bytes = k != 0;
        var rng = new Random(seed);
        int r = (rank.Get % 5) + 1;
        int[] shape = [.. Enumerable.Range(0, r).Select(_ => rng.Next(0, 5) == 0 ? 1 : rng.Next(1, 7))];
        int[] perm = [.. Enumerable.Range(0, r).OrderBy(_ => rng.Next())];
        int count = (int)ShapeMath.ElementCount(shape);
        // int8 too: the CLR lets its sbyte[] match a byte[] type test, and the output must stay int8.
        TensorValue x = k switch
        {
            0 => TensorValue.FromFloats(shape, Values(rng, count)),
            1 => TensorValue.Create(DataType.UInt8, shape, IntKernelGenerators.Codes<byte>(rng, count)),
            _ => TensorValue.Create(DataType.Int8, shape, IntKernelGenerators.Codes<sbyte>(rng, count)),
        };
        TensorValue expected = LayoutKernels.TransposeReference(x, perm);
        TensorValue y = LayoutKernels.Transpose(x, perm);
        Assert.Equal(expected.Shape.ToArray(), y.Shape.ToArray());
        Assert.Equal(expected.Type, y.Type);
        if (bytes)
        {
            Assert.Equal(expected.Data, y.Data);
        }
        else
        {
            Assert.Equal(expected.Items<float>().Select(BitConverter.SingleToInt32Bits), y.Items<float>().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Property]
    public void ErfSpan_EqualsScalarErf(PositiveInt length, int seed)
    {
        var rng = new Random(seed);
        int n = (length.Get % 70) + 1;
        // Both sides of the 0.921875 split, the 3.925 clamp, tiny and special values.
        float[] x = [.. Enumerable.Range(0, n).Select(_ => rng.Next(4) == 0 ? s_special[rng.Next(s_special.Length)] : (float)((rng.NextDouble() - 0.5) * 10))];
        var y = new float[n];
        MlasMath.ErfSpan(x, y);
        Assert.Equal(x.Select(v => BitConverter.SingleToInt32Bits(MlasMath.Erf(v))), y.Select(BitConverter.SingleToInt32Bits));
    }

    private static float[] Values(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.Next(5) == 0 ? s_special[rng.Next(s_special.Length)] : (float)((rng.NextDouble() - 0.5) * 10))];
}
