using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.Numerics.Reference;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>
/// Laws for the vectorised fp32 kernels: each equals its plain scalar reference bit for bit over generated shapes that
/// hit the vector tails (channel counts off the 16-lane block, ragged pixel tiles, padded borders), with inputs that
/// include ±0 and products that underflow to a signed zero.
/// </summary>
public sealed class FastFloatKernelProperties
{
    [Property(MaxTest = 200)]
    public bool NchwcConv_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        (ConvGeometry g, float[] x, float[] w, float[] bias, float[] sum) = NchwcCase(rng);
        float[] expected = NchwcConvReference.Conv(x, w, bias, g, sum);
        float[] actual = NchwcConv.Conv(x, w, bias, g, sum);
        return BitMismatches(expected, actual) == 0;
    }

    [Property(MaxTest = 60)]
    public bool Sgemm_WideN_EqualsScalarReference(int seed)
    {
        // N past the 128-column slices and M past the 4-row tiles, so every tile and tail shape of the blocked kernel runs.
        var rng = new Random(seed);
        bool ta = rng.Next(2) == 0, tb = rng.Next(2) == 0, packed = rng.Next(2) == 0;
        int m = rng.Next(2, 11), n = rng.Next(2, 300), k = rng.Next(1, 300);
        float alpha = rng.Next(3) == 0 ? 0.5f : 1f;
        float beta = new[] { 0f, 1f, 0.75f }[rng.Next(3)];
        float[] a = EdgyFloats(rng, m * k);
        float[] b = EdgyFloats(rng, k * n);
        float[] c = EdgyFloats(rng, m * n);
        float[] expected = (float[])c.Clone();
        FloatGemmReference.Sgemm(ta, tb, m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, beta, expected, n, packed);
        float[] actual = (float[])c.Clone();
        if (packed)
        {
            FloatGemm.SgemmPackedB(ta, tb, m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, beta, actual, n);
        }
        else
        {
            FloatGemm.Sgemm(ta, tb, m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, beta, actual, n);
        }

        return BitMismatches(expected, actual) == 0;
    }

    [Property(MaxTest = 150)]
    public bool MaxPool2D_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        ConvGeometry g = PoolCase(rng);
        int size = g.Batch * g.InChannels * g.InSize;
        bool wantIndices = rng.Next(2) == 0;
        int order = rng.Next(2);
        float[] xf = EdgyFloats(rng, size);
        if (rng.Next(4) == 0)
        {
            xf[rng.Next(size)] = float.NaN;
        }

        byte[] xu = [.. Enumerable.Range(0, size).Select(_ => (byte)rng.Next(256))];
        sbyte[] xs = [.. Enumerable.Range(0, size).Select(_ => (sbyte)rng.Next(-128, 128))];
        float[] ef = PoolReference.MaxPool<float>(xf, g, float.MinValue, out long[]? ei, wantIndices, order);
        float[] af = PoolKernels.MaxPool<float>(xf, g, float.MinValue, out long[]? ai, wantIndices, order);
        byte[] eu = PoolReference.MaxPool<byte>(xu, g, byte.MinValue, out long[]? eiu, wantIndices, order);
        byte[] au = PoolKernels.MaxPool<byte>(xu, g, byte.MinValue, out long[]? aiu, wantIndices, order);
        sbyte[] es = PoolReference.MaxPool<sbyte>(xs, g, sbyte.MinValue, out _, false, 0);
        sbyte[] @as = PoolKernels.MaxPool<sbyte>(xs, g, sbyte.MinValue, out _, false, 0);
        return BitMismatches(ef, af) == 0 && eu.SequenceEqual(au) && es.SequenceEqual(@as)
            && (ei ?? []).SequenceEqual(ai ?? []) && (eiu ?? []).SequenceEqual(aiu ?? []);
    }

    [Property(MaxTest = 150)]
    public bool NchwcAveragePool2D_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        ConvGeometry g = PoolCase(rng);
        float[] x = EdgyFloats(rng, g.Batch * g.InChannels * g.InSize);
        bool include = rng.Next(2) == 0;
        return BitMismatches(PoolReference.NchwcAveragePool(x, g, include), PoolKernels.NchwcAveragePool(x, g, include)) == 0;
    }

    private static ConvGeometry PoolCase(Random rng)
    {
        int kh = rng.Next(1, 5), kw = rng.Next(1, 5);
        long[] pads = [rng.Next(0, kh), rng.Next(0, kw), rng.Next(0, kh), rng.Next(0, kw)];
        long[] strides = [rng.Next(1, 4), rng.Next(1, 4)];
        long[] dilations = [rng.Next(1, 3), rng.Next(1, 3)];
        int h = Math.Max(rng.Next(1, 10), (kh - 1) * (int)dilations[0] + 1);
        int w = Math.Max(rng.Next(1, 10), (kw - 1) * (int)dilations[1] + 1);
        if (rng.Next(4) == 0)
        {
            // The global window.
            (kh, kw, pads, strides, dilations) = (h, w, [0, 0, 0, 0], [1, 1], [1, 1]);
        }

        return ConvGeometry.Resolve([rng.Next(1, 3), rng.Next(1, 5), h, w], 0, [kh, kw], strides, dilations, pads, "NOTSET", 1, rng.Next(2) == 0);
    }

    /// <summary>Values in [-1, 1) with some exact zeros of both signs and some tiny magnitudes whose products underflow.</summary>
    internal static float[] EdgyFloats(Random rng, int count)
    {
        float[] a = RandomFloats(rng, count);
        for (int i = 0; i < count; i++)
        {
            a[i] = rng.Next(10) switch
            {
                0 => 0f,
                1 => -0f,
                2 => a[i] * 1e-30f,
                _ => a[i],
            };
        }

        return a;
    }

    private static (ConvGeometry G, float[] X, float[] W, float[] Bias, float[] Sum) NchwcCase(Random rng)
    {
        int batch = rng.Next(1, 4);
        int kind = rng.Next(5);
        int group = 1;
        int cin, cout;
        int kh = rng.Next(1, 4), kw = rng.Next(1, 4);
        long[] pads = [rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3)];
        switch (kind)
        {
            case 0: // NCHW: fewer than 16 input channels
                cin = rng.Next(1, 16);
                cout = rng.Next(1, 40);
                break;
            case 1: // NCHWc: multiple of 4, at least 16
                cin = 4 * rng.Next(4, 13);
                cout = rng.Next(1, 40);
                break;
            case 2: // pointwise, crossing the 128-channel slice
                cin = 4 * rng.Next(4, 40);
                cout = rng.Next(1, 36);
                kh = kw = 1;
                pads = [0, 0, 0, 0];
                break;
            case 3: // depthwise
                group = rng.Next(1, 40);
                cin = cout = group;
                break;
            default: // grouped NCHWc
                group = 2;
                cin = 32;
                cout = 16 * rng.Next(1, 3) * 2;
                break;
        }

        long[] strides = [rng.Next(1, 3), rng.Next(1, 3)];
        long[] dilations = [rng.Next(1, 3), rng.Next(1, 3)];
        int h = Math.Max(rng.Next(1, 8), (int)(((kh - 1) * dilations[0]) + 1 - pads[0] - pads[2]));
        int wd = Math.Max(rng.Next(1, 8), (int)(((kw - 1) * dilations[1]) + 1 - pads[1] - pads[3]));
        var g = ConvGeometry.Resolve([batch, cin, h, wd], cout, [kh, kw], strides, dilations, pads, "NOTSET", group);
        float[] x = EdgyFloats(rng, batch * cin * h * wd);
        float[] w = EdgyFloats(rng, cout * (cin / group) * kh * kw);
        float[] bias = rng.Next(3) == 0 ? [] : EdgyFloats(rng, cout);
        float[] sum = rng.Next(3) == 0 ? EdgyFloats(rng, batch * cout * g.OutSize) : [];
        return (g, x, w, bias, sum);
    }
}
