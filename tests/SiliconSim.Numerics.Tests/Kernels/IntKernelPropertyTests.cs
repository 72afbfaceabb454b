using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>Each fast integer kernel equals its plain scalar reference over generated small shapes.</summary>
[Properties(Arbitrary = [typeof(IntKernelGenerators)], MaxTest = 100)]
public sealed class IntKernelPropertyTests
{
    [Property]
    public void IntGemm_EqualsDotProducts(PositiveInt m, PositiveInt n, PositiveInt k, int seed)
    {
        int mm = (m.Get % 7) + 1, nn = (n.Get % 9) + 1, kk = (k.Get % 70) + 1;
        int ks = IntGemm.PaddedK(kk);
        var rng = new Random(seed);
        var a = new short[mm * ks];
        var bt = new short[nn * ks];
        for (int i = 0; i < mm; i++)
        {
            for (int t = 0; t < kk; t++)
            {
                a[(i * ks) + t] = (short)rng.Next(-255, 256);
            }
        }

        for (int j = 0; j < nn; j++)
        {
            for (int t = 0; t < kk; t++)
            {
                bt[(j * ks) + t] = (short)rng.Next(-255, 256);
            }
        }

        var c = new int[mm * nn];
        IntGemm.MultiplyTransposed(a, bt, c, mm, nn, ks, nn);
        for (int i = 0; i < mm; i++)
        {
            for (int j = 0; j < nn; j++)
            {
                int expected = 0;
                for (int t = 0; t < kk; t++)
                {
                    expected += a[(i * ks) + t] * bt[(j * ks) + t];
                }

                Assert.Equal(expected, c[(i * nn) + j]);
            }
        }
    }

    [Property]
    public void MatMulInteger_EqualsScalarReference(NonNegativeInt shapeKind, int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 6), k = rng.Next(1, 40), n = rng.Next(1, 8);
        (int[] aShape, int[] bShape) = (shapeKind.Get % 4) switch
        {
            0 => (new[] { m, k }, new[] { k, n }),
            1 => ([2, 1, m, k], [3, k, n]),
            2 => ([3, m, k], [k, n]),
            _ => ([1, m, k], [2, k, n]),
        };
        byte[] a = IntKernelGenerators.Codes<byte>(rng, (int)ShapeMath.ElementCount(aShape));
        sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, (int)ShapeMath.ElementCount(bShape));
        int[] az = rng.Next(2) == 0 ? [rng.Next(256)] : [.. Enumerable.Range(0, m).Select(_ => rng.Next(256))];
        int[] bz = rng.Next(2) == 0 ? [rng.Next(-128, 128)] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-128, 128))];
        var shape = MatMulShape.Resolve(aShape, bShape);
        var y = new int[shape.BatchCount * m * n];
        MatMulInteger.Compute<byte, sbyte>(a, az, b, bz, shape, y);
        int[] expected = MatMulIntegerReference.Compute<byte, sbyte>(a, aShape, az, b, bShape, bz, out int[] outShape);
        Assert.Equal(outShape, shape.OutputShape);
        Assert.Equal(expected, y);
    }

    [Property]
    public void QGemm_EqualsScalarReference(bool transA, bool transB, bool quantized, int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 7), k = rng.Next(1, 50), n = rng.Next(1, 9);
        byte[] a = IntKernelGenerators.Codes<byte>(rng, m * k);
        sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, k * n);
        int az = rng.Next(256);
        int[] bz = rng.Next(2) == 0 ? [rng.Next(-128, 128)] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-128, 128))];
        float[] bs = rng.Next(2) == 0 ? [(float)rng.NextDouble()] : [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble())];
        (int cRows, int cCols) = rng.Next(3) switch { 0 => (1, 1), 1 => (1, n), _ => (m, n) };
        int[] c = rng.Next(4) == 0 ? [] : [.. Enumerable.Range(0, cRows * cCols).Select(_ => rng.Next(-50000, 50000))];
        float alpha = rng.Next(2) == 0 ? 1f : (float)rng.NextDouble();
        float aScale = 0.03f;
        float? yScale = quantized ? 2.5f : null;
        int[] acc = QGemm.Accumulate<byte, sbyte>(a, az, transA, b, bz, transB, m, k, n, c, cRows, cCols);
        float[] scales = QGemm.OutputScales(alpha, aScale, bs, yScale, n);
        var (floats, codes) = QGemmReference.Compute<byte, sbyte, byte>(a, aScale, az, transA, b, bs, bz, transB, m, k, n, c, cRows, cCols, alpha, yScale, 7);
        if (quantized)
        {
            var y = new byte[m * n];
            QGemm.Requantize<byte>(acc, scales, 7, y);
            Assert.Equal(codes, y);
        }
        else
        {
            var y = new float[m * n];
            QGemm.Scale(acc, scales, y);
            Assert.Equal(floats, y);
        }
    }

    [Property]
    public void OrtBinaryBroadcast_SpansReadTheNumpyBroadcastElements(NonNegativeInt pick)
    {
        int[][][] pairs =
        [
            [[2, 3, 4], [2, 3, 4]], [[2, 3, 4], []], [[], [5]], [[2, 3, 4], [3, 1]], [[3, 1], [2, 3, 4]],
            [[4, 1], [1, 1]], [[], [4, 1]], [[2, 1, 4, 1], [1, 3, 1, 5]], [[1], [1]], [[5, 1], [1, 7]], [[6, 1], [6, 1]],
        ];
        int[][] pair = pairs[pick.Get % pairs.Length];
        var plan = new OrtBinaryBroadcast(pair[0], pair[1]);
        Assert.Equal(ShapeMath.Broadcast(pair[0], pair[1]), plan.OutputShape);
        int covered = 0;
        foreach ((int o0, int o1, int oc) in plan.Spans())
        {
            Assert.Equal(covered, oc);
            for (int i = 0; i < plan.SpanSize; i++)
            {
                Assert.Equal(ElementwiseQuantReference.BroadcastOffset(oc + i, plan.OutputShape, pair[0]), o0 + (plan.Input0Scalar ? 0 : i));
                // When input 0 is the scalar one, input 1 streams even if it is also size 1 (ORT's input0scalar functor).
                int step1 = !plan.Input0Scalar && plan.Input1Scalar ? 0 : i;
                Assert.Equal(ElementwiseQuantReference.BroadcastOffset(oc + i, plan.OutputShape, pair[1]), o1 + step1);
            }

            covered += plan.SpanSize;
        }

        Assert.Equal(plan.OutputLength, covered);
    }

    [Property]
    public void QLinearMul_EqualsElementReference(bool signed, int seed)
    {
        var rng = new Random(seed);
        int[] aShape = [2, rng.Next(1, 4), rng.Next(1, 6)];
        int[] bShape = rng.Next(3) switch { 0 => aShape, 1 => [], _ => [aShape[1], 1] };
        float sa = (float)rng.NextDouble(), sb = (float)rng.NextDouble(), sc = (float)rng.NextDouble() * 0.3f;
        int za = rng.Next(-100, 100), zb = rng.Next(-100, 100), zc = rng.Next(-100, 100);
        if (signed)
        {
            sbyte[] a = IntKernelGenerators.Codes<sbyte>(rng, (int)ShapeMath.ElementCount(aShape));
            sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, (int)ShapeMath.ElementCount(bShape));
            sbyte[] c = QLinearMul.Compute<sbyte>(a, aShape, sa, za, b, bShape, sb, zb, sc, zc, out int[] outShape);
            for (int i = 0; i < c.Length; i++)
            {
                Assert.Equal(
                    ElementwiseQuantReference.MulElement(a[ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)], sa, za, b[ElementwiseQuantReference.BroadcastOffset(i, outShape, bShape)], sb, zb, sc, zc),
                    c[i]);
            }
        }
        else
        {
            byte[] a = IntKernelGenerators.Codes<byte>(rng, (int)ShapeMath.ElementCount(aShape));
            byte[] b = IntKernelGenerators.Codes<byte>(rng, (int)ShapeMath.ElementCount(bShape));
            za += 100;
            zb += 100;
            zc += 100;
            byte[] c = QLinearMul.Compute<byte>(a, aShape, sa, za, b, bShape, sb, zb, sc, zc, out int[] outShape);
            for (int i = 0; i < c.Length; i++)
            {
                Assert.Equal(
                    ElementwiseQuantReference.MulElement(a[ElementwiseQuantReference.BroadcastOffset(i, outShape, aShape)], sa, za, b[ElementwiseQuantReference.BroadcastOffset(i, outShape, bShape)], sb, zb, sc, zc),
                    c[i]);
            }
        }
    }

    [Property]
    public void QLinearGlobalAveragePool_ChannelsLastEqualsNchwReference(PositiveInt channels, PositiveInt image, int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 3), c = (channels.Get % 9) + 1, s = (image.Get % 30) + 1;
        byte[] x = IntKernelGenerators.Codes<byte>(rng, n * c * s);
        int xz = rng.Next(256), yz = rng.Next(256);
        float xs = 0.05f, ys = 0.02f + ((float)rng.NextDouble() * 0.1f);
        var nhwc = new byte[x.Length];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < s; p++)
                {
                    nhwc[(((b * s) + p) * c) + ch] = x[(((b * c) + ch) * s) + p];
                }
            }
        }

        byte[] expected = ElementwiseQuantReference.GlobalAveragePoolNchw<byte>(x, n * c, s, xs, xz, ys, yz);
        var y1 = new byte[n * c];
        var y2 = new byte[n * c];
        QLinearGlobalAveragePool.Compute<byte>(x, n, c, s, false, xs, xz, ys, yz, y1);
        QLinearGlobalAveragePool.Compute<byte>(nhwc, n, c, s, true, xs, xz, ys, yz, y2);
        Assert.Equal(expected, y1);
        Assert.Equal(expected, y2);
    }

    [Property]
    public void MaxPoolOnInt8_EqualsScalarReference(ConvCase c)
    {
        // Reuse the conv geometries as pooling windows over C planes.
        var g = c.Geometry with { OutChannels = c.Geometry.InChannels, Group = c.Geometry.InChannels };
        var rng = new Random(c.Seed);
        sbyte[] x = IntKernelGenerators.Codes<sbyte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] y = Numerics.Kernels.Float.PoolKernels.MaxPool<sbyte>(x, g, sbyte.MinValue, out _);
        Assert.Equal(MaxPoolIntReference.Compute<sbyte>(x, g), y);
    }

    [Property]
    public void RequantizeRow_EqualsScalarRule(int seed)
    {
        var rng = new Random(seed);
        int[] acc = [.. Enumerable.Range(0, rng.Next(1, 40)).Select(_ => rng.Next(-100000, 100000))];
        float scale = MathF.Pow(2, -rng.Next(0, 12)) * (rng.Next(2) == 0 ? 1f : (float)rng.NextDouble());
        int bias = rng.Next(-1000, 1000), zp = rng.Next(-128, 128);
        var y = new sbyte[acc.Length];
        Requantizer.RequantizeRow<sbyte>(acc, bias, scale, zp, y);
        Assert.Equal(acc.Select(a => RequantizeReference.Requantize<sbyte>(a + bias, scale, zp)).ToArray(), y);
    }
}
