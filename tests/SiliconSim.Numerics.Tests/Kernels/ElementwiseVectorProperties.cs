using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Elementwise;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The vectorised quantized element-wise and pooling paths against their scalar references, bit for bit: QLinearAdd's
/// span kernel against <see cref="QLinearAdd.SpanScalar{T}"/> at every length across the 32-element steps and tails
/// (full-length and scalar B, u8 and s8, scales that saturate and round on halves), and the 8-bit and fp32 2-D MaxPool
/// against the generic window loop (which the indices output still takes) over generated geometries with padding, strides,
/// dilations and ceil_mode; and the fp32 equal-shape Add/Sub/Mul/Div against <see cref="ElementwiseKernels.Apply{T}"/>.
/// </summary>
public sealed class ElementwiseVectorProperties
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void QLinearAddSpan_EqualsScalarReference_AtEveryLength(bool signed, bool scalarB)
    {
        var rng = new Random(signed ? 11 : 7);
        for (int length = 0; length <= 140; length++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                // Scales from tiny (everything near the zero point) to large (most lanes saturate); zero points across
                // the range; a scale ratio of 0.5 makes many results land on exact halves.
                float sa = trial == 0 ? 0.5f : (float)Math.Exp((rng.NextDouble() * 6) - 3);
                float sb = trial == 0 ? 0.5f : (float)Math.Exp((rng.NextDouble() * 6) - 3);
                float sc = trial == 0 ? 1f : (float)Math.Exp((rng.NextDouble() * 6) - 3);
                if (signed)
                {
                    Check<sbyte>(rng, length, scalarB, sa, sb, sc, () => (sbyte)rng.Next(-128, 128), v => v);
                }
                else
                {
                    Check<byte>(rng, length, scalarB, sa, sb, sc, () => (byte)rng.Next(256), v => v);
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void QLinearAdd_SameShapeOnThreads_EqualsOneThread(int threads)
    {
        // Long enough to split (64K and more elements), with a length off every step so ranges end in tails.
        var rng = new Random(threads);
        int[] shape = [1, 37, 41, 53];
        int n = 37 * 41 * 53;
        byte[] a = new byte[n], b = new byte[n];
        rng.NextBytes(a);
        rng.NextBytes(b);
        byte[] expected = QLinearAdd.Compute<byte>(a, shape, 0.031f, 131, b, shape, 0.047f, 120, 0.05f, 128, out int[] shapeOne);
        byte[] actual = QLinearAdd.Compute(a, shape, 0.031f, 131, b, shape, 0.047f, 120, 0.05f, 128, new Parallelism(threads), out int[] shapeMany);
        Assert.Equal(shapeOne, shapeMany);
        Assert.True(expected.AsSpan().SequenceEqual(actual));
    }

    private static void Check<T>(Random rng, int length, bool scalarB, float sa, float sb, float sc, Func<T> code, Func<T, int> toInt)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        T[] a = [.. Enumerable.Range(0, length).Select(_ => code())];
        T[] b = [.. Enumerable.Range(0, scalarB ? 1 : length).Select(_ => code())];
        int za = toInt(code()), zb = toInt(code()), zc = toInt(code());
        var expected = new T[length];
        var actual = new T[length];
        if (length > 0 || !scalarB)
        {
            QLinearAdd.SpanScalar<T>(a, sa, za, b, sb, zb, sc, zc, expected, scalarB && length > 0);
            QLinearAdd.Span<T>(a, sa, za, b, sb, zb, sc, zc, actual, scalarB && length > 0);
        }

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}, scalar B {scalarB}, scales {sa} {sb} {sc}, zero points {za} {zb} {zc}");
    }

    [Property(MaxTest = 400)]
    public bool MaxPool2D_NoIndices_EqualsWindowLoop(int seed)
    {
        var rng = new Random(seed);
        int k0 = rng.Next(1, 5), k1 = rng.Next(1, 5);
        int d0 = rng.Next(1, 3), d1 = rng.Next(1, 3);
        int s0 = rng.Next(1, 4), s1 = rng.Next(1, 4);
        long[] pads = [rng.Next(0, k0), rng.Next(0, k1), rng.Next(0, k0), rng.Next(0, k1)];
        int h = rng.Next(((k0 - 1) * d0) + 1, 40), w = rng.Next(((k1 - 1) * d1) + 1, 70);
        int[] shape = [rng.Next(1, 3), rng.Next(1, 5), h, w];
        bool ceil = rng.Next(2) == 0;
        var g = ConvGeometry.Resolve(shape, shape[1], [k0, k1], [s0, s1], [d0, d1], pads, "NOTSET", 1, ceil);
        int n = shape[0] * shape[1] * h * w;
        int kind = rng.Next(3);
        if (kind == 2)
        {
            // fp32: mostly values with many ties (the fast path), sometimes with NaN, ±0, ±∞ (the window loop).
            float[] specials = [float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, float.MinValue];
            bool special = rng.Next(4) == 0;
            float[] xf = [.. Enumerable.Range(0, n).Select(_ => special && rng.Next(10) == 0 ? specials[rng.Next(specials.Length)] : rng.Next(-20, 20) * 0.25f)];
            float[] expectedF = PoolKernels.MaxPool(xf, g, float.MinValue, out _, computeIndices: true);
            float[] actualF = PoolKernels.MaxPool<float>(xf, g, float.MinValue, out _);
            return expectedF.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actualF.Select(BitConverter.SingleToInt32Bits));
        }

        if (kind == 0)
        {
            byte[] x = [.. Enumerable.Range(0, n).Select(_ => (byte)rng.Next(256))];
            byte[] expected = PoolKernels.MaxPool(x, g, byte.MinValue, out _, computeIndices: true);
            return expected.AsSpan().SequenceEqual(PoolKernels.MaxPool<byte>(x, g, byte.MinValue, out _));
        }

        sbyte[] xs = [.. Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-128, 128))];
        sbyte[] expectedS = PoolKernels.MaxPool(xs, g, sbyte.MinValue, out _, computeIndices: true);
        return expectedS.AsSpan().SequenceEqual(PoolKernels.MaxPool<sbyte>(xs, g, sbyte.MinValue, out _));
    }

    [Theory]
    [InlineData(BinaryOp.Add)]
    [InlineData(BinaryOp.Sub)]
    [InlineData(BinaryOp.Mul)]
    [InlineData(BinaryOp.Div)]
    public void FloatSameShape_EqualsScalarApply_AtEveryLength(BinaryOp op)
    {
        Func<float, float, float> f = op switch
        {
            BinaryOp.Add => (p, q) => p + q,
            BinaryOp.Sub => (p, q) => p - q,
            BinaryOp.Mul => (p, q) => p * q,
            _ => (p, q) => p / q,
        };
        var rng = new Random((int)op);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, -float.Epsilon, 1e-38f, 3e38f, -3e38f];
        float Value() => rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() - 0.5) * Math.Exp(rng.Next(-20, 20)));
        for (int length = 1; length <= 70; length++)
        {
            float[] a = [.. Enumerable.Range(0, length).Select(_ => Value())];
            float[] b = [.. Enumerable.Range(0, length).Select(_ => Value())];
            float[] expected = ElementwiseKernels.Apply(a, [length], b, [length], [length], f);
            float[]? actual = FloatBinary.TryRun(op, a, [length], b, [length], [length]);
            Assert.NotNull(actual);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
