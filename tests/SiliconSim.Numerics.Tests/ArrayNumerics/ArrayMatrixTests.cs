using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;
using SiliconSim.Numerics.Tests.Kernels;

namespace SiliconSim.Numerics.Tests.ArrayNumerics;

/// <summary>
/// The array's plain path: with 32-bit wrapping it equals ORT's fast kernels; narrower or saturating registers equal a
/// register-by-register reference over the K order the docs define.
/// </summary>
[Properties(Arbitrary = [typeof(IntKernelGenerators)], MaxTest = 60)]
public sealed class ArrayMatrixTests
{
    private static readonly MatrixNumerics s_wrap32Plain = new() { AccumulatorBits = 32, Overflow = AccumulatorOverflow.Wrap, Requantizer = RequantizerArithmetic.FixedPoint };

    [Property]
    public void Gemm_Wrap32_EqualsQGemmFastKernel(bool transA, bool transB, bool withBias, int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 6), k = rng.Next(1, 80), n = rng.Next(1, 9);
        byte[] a = IntKernelGenerators.Codes<byte>(rng, m * k);
        sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, k * n);
        int az = rng.Next(256);
        int[] bz = rng.Next(2) == 0 ? [rng.Next(-128, 128)] : [.. Enumerable.Range(0, n).Select(_ => rng.Next(-128, 128))];
        int[] c = withBias ? [.. Enumerable.Range(0, n).Select(_ => rng.Next(int.MinValue, int.MaxValue))] : [];
        int[] fast = QGemm.Accumulate<byte, sbyte>(a, az, transA, b, bz, transB, m, k, n, c, 1, n);
        int[] init = withBias ? [.. Enumerable.Range(0, m * n).Select(p => c[p % n])] : [];
        var plain = new int[m * n];
        ArrayMatrix.Gemm<byte, sbyte>(a, [az], transA, b, bz, transB, m, k, n, init, s_wrap32Plain, plain);
        Assert.Equal(fast, plain);
    }

    [Property]
    public void Gemm_NarrowRegister_EqualsReferenceOverKOrder(bool saturate, int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 4), k = rng.Next(1, 60), n = rng.Next(1, 5), bits = rng.Next(8, 25);
        var numerics = new MatrixNumerics { AccumulatorBits = bits, Overflow = saturate ? AccumulatorOverflow.Saturate : AccumulatorOverflow.Wrap };
        sbyte[] a = IntKernelGenerators.Codes<sbyte>(rng, m * k);
        byte[] b = IntKernelGenerators.Codes<byte>(rng, k * n);
        int az = rng.Next(-128, 128), bz = rng.Next(256);
        int[] init = [.. Enumerable.Range(0, m * n).Select(_ => rng.Next(-100000, 100000))];
        var y = new int[m * n];
        ArrayMatrix.Gemm<sbyte, byte>(a, [az], false, b, [bz], false, m, k, n, init, numerics, y);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var products = Enumerable.Range(0, k).Select(t => (long)(a[(i * k) + t] - az) * (b[(t * n) + j] - bz));
                Assert.Equal(NarrowAccumulationReference.Accumulate(init[(i * n) + j], products, bits, numerics.Overflow), y[(i * n) + j]);
            }
        }
    }

    [Property]
    public void MatMul_Wrap32_EqualsMatMulIntegerFastKernel(int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 5), k = rng.Next(1, 40), n = rng.Next(1, 7);
        int[] aShape = [2, m, k], bShape = [k, n];
        byte[] a = IntKernelGenerators.Codes<byte>(rng, 2 * m * k);
        sbyte[] b = IntKernelGenerators.Codes<sbyte>(rng, k * n);
        int[] az = [.. Enumerable.Range(0, m).Select(_ => rng.Next(256))];
        int[] bz = [rng.Next(-128, 128)];
        var shape = MatMulShape.Resolve(aShape, bShape);
        var fast = new int[shape.BatchCount * m * n];
        var plain = new int[fast.Length];
        MatMulInteger.Compute<byte, sbyte>(a, az, b, bz, shape, fast);
        ArrayMatrix.MatMul<byte, sbyte>(a, az, b, bz, shape, s_wrap32Plain, plain);
        Assert.Equal(fast, plain);
    }

    [Property]
    public void Conv_Wrap32_EqualsConvIntegerFastKernelPlusBias(ConvCase c)
    {
        var rng = new Random(c.Seed);
        ConvGeometry g = c.Geometry;
        byte[] x = IntKernelGenerators.Codes<byte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, g.OutChannels * (g.InChannels / g.Group) * g.KernelSize);
        int xz = rng.Next(256);
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-128, 128))] : [rng.Next(-128, 128)];
        int[] bias = [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-1 << 20, 1 << 20))];
        var fast = new int[g.Batch * g.OutChannels * g.OutSize];
        ConvInteger.Compute<byte, sbyte>(x, xz, w, wz, g, fast);
        for (int p = 0; p < fast.Length; p++)
        {
            fast[p] = unchecked(fast[p] + bias[(p / g.OutSize) % g.OutChannels]);
        }

        var plain = new int[fast.Length];
        ArrayMatrix.Conv<byte, sbyte>(x, xz, w, wz, bias, g, s_wrap32Plain, plain);
        Assert.Equal(fast, plain);
    }

    [Property]
    public void Conv_NarrowSaturate_EqualsReferenceOverIm2colOrder(ConvCase c)
    {
        var rng = new Random(c.Seed);
        ConvGeometry g = c.Geometry;
        int cg = g.InChannels / g.Group, mg = g.OutChannels / g.Group;
        byte[] x = IntKernelGenerators.Codes<byte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, g.OutChannels * cg * g.KernelSize);
        int xz = rng.Next(256);
        int[] wz = [rng.Next(-128, 128)];
        int[] bias = [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-3000, 3000))];
        // 14 bits: 16383 is reached after a handful of 8-bit products, so saturation (and its order) is exercised.
        var numerics = new MatrixNumerics { AccumulatorBits = 14, Overflow = AccumulatorOverflow.Saturate };
        var y = new int[g.Batch * g.OutChannels * g.OutSize];
        ArrayMatrix.Conv<byte, sbyte>(x, xz, w, wz, bias, g, numerics, y);
        for (int n = 0; n < g.Batch; n++)
        {
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                for (int p = 0; p < g.OutSize; p++)
                {
                    var products = new List<long>();
                    int[] o = Unflatten(p, g.OutSpatial);
                    for (int ci = 0; ci < cg; ci++)
                    {
                        int ic = ((oc / mg) * cg) + ci;
                        for (int kp = 0; kp < g.KernelSize; kp++)
                        {
                            int[] kk = Unflatten(kp, g.KernelSpatial);
                            int[] pos = [.. Enumerable.Range(0, g.SpatialRank).Select(d => (o[d] * g.Strides[d]) - g.PadsBegin[d] + (kk[d] * g.Dilations[d]))];
                            bool inside = pos.Select((v, d) => v >= 0 && v < g.InSpatial[d]).All(b => b);
                            // A padding tap carries x_zp: its product is 0, added like any other.
                            long xv = inside ? x[(((n * g.InChannels) + ic) * g.InSize) + Flatten(pos, g.InSpatial)] - xz : 0;
                            products.Add(xv * (w[(((oc * cg) + ci) * g.KernelSize) + kp] - wz[0]));
                        }
                    }

                    long expected = NarrowAccumulationReference.Accumulate(bias[oc], products, 14, AccumulatorOverflow.Saturate);
                    Assert.Equal(expected, y[(((n * g.OutChannels) + oc) * g.OutSize) + p]);
                }
            }
        }
    }

    [Fact]
    public void Requantizer_SelectsFp32OrFixedPointPerChannel()
    {
        float[] scales = [0.0123f, 0.5f];
        double[] reals = [0.0123, 0.5];
        var fp = new ArrayRequantizer(scales, reals, MatrixNumerics.Reference);
        var fx = new ArrayRequantizer(scales, reals, new MatrixNumerics { Requantizer = RequantizerArithmetic.FixedPoint, FixedPointRounding = ShiftRounding.Floor });
        int[] acc = [1001, 1001, -77, -77];
        var yf = new byte[4];
        var yx = new byte[4];
        fp.Requantize<byte>(acc, 1, 128, yf);
        fx.Requantize<byte>(acc, 1, 128, yx);
        for (int p = 0; p < 4; p++)
        {
            Assert.Equal(Requantizer.Requantize(acc[p], scales[p % 2], 128, 0, 255), yf[p]);
            Assert.Equal(FixedPointRequantizer.Requantize(acc[p], FixedPointMultiplier.FromReal(reals[p % 2]), ShiftRounding.Floor, 128, 0, 255), yx[p]);
        }

        Assert.Empty(fp.Multipliers);
        Assert.Equal(2, fx.Multipliers.Count);
    }

    private static int[] Unflatten(int index, int[] extents)
    {
        var r = new int[extents.Length];
        for (int d = extents.Length - 1; d >= 0; d--)
        {
            r[d] = index % extents[d];
            index /= extents[d];
        }

        return r;
    }

    private static int Flatten(int[] pos, int[] extents)
    {
        int f = 0;
        for (int d = 0; d < extents.Length; d++)
        {
            f = (f * extents[d]) + pos[d];
        }

        return f;
    }
}
