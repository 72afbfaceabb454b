using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.Numerics.Reference;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>
/// Laws for the fp32 kernels: each equals its plain scalar reference bit for bit, and stays within a rounding bound of
/// the exact (float64) result. Shapes come from a seeded generator so K crosses the 128/256 block edges.
/// </summary>
public sealed class FloatKernelProperties
{
    [Property(MaxTest = 150)]
    public bool Sgemm_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        (bool ta, bool tb, int m, int n, int k, float alpha, float beta, bool packed) = GemmCase(rng);
        float[] a = RandomFloats(rng, m * k);
        float[] b = RandomFloats(rng, k * n);
        float[] c = RandomFloats(rng, m * n);
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
    public bool Sgemm_IsWithinRoundingBoundOfExactProduct(int seed)
    {
        var rng = new Random(seed);
        (bool ta, bool tb, int m, int n, int k, _, _, bool packed) = GemmCase(rng);
        float[] a = RandomFloats(rng, m * k);
        float[] b = RandomFloats(rng, k * n);
        var y = new float[m * n];
        if (packed)
        {
            FloatGemm.SgemmPackedB(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, y, n);
        }
        else
        {
            FloatGemm.Sgemm(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, y, n);
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0;
                double magnitude = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    double p = (double)(ta ? a[(kk * m) + i] : a[(i * k) + kk]) * (tb ? b[(j * k) + kk] : b[(kk * n) + j]);
                    exact += p;
                    magnitude += Math.Abs(p);
                }

                // Any summation order of k products: |error| ≤ (k + 1)·u·Σ|a·b| with u = 2^-24.
                if (Math.Abs(y[(i * n) + j] - exact) > (k + 1) * Math.Pow(2, -24) * magnitude)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool Conv_EqualsScalarReference(int seed)
    {
        var rng = new Random(seed);
        ConvGeometry g = ConvCase(rng);
        float[] x = RandomFloats(rng, g.Batch * g.InChannels * g.InSize);
        float[] w = RandomFloats(rng, g.OutChannels * (g.InChannels / g.Group) * g.KernelSize);
        float[] bias = rng.Next(2) == 0 ? [] : RandomFloats(rng, g.OutChannels);
        return BitMismatches(FloatConvReference.Conv(x, w, bias, g), FloatConv.Conv(x, w, bias, g)) == 0;
    }

    [Property(MaxTest = 100)]
    public bool Conv_IsWithinRoundingBoundOfExactConvolution(int seed)
    {
        var rng = new Random(seed);
        ConvGeometry g = ConvCase(rng);
        float[] x = RandomFloats(rng, g.Batch * g.InChannels * g.InSize);
        float[] w = RandomFloats(rng, g.OutChannels * (g.InChannels / g.Group) * g.KernelSize);
        float[] y = FloatConv.Conv(x, w, [], g);
        int cg = g.InChannels / g.Group;
        int k = cg * g.KernelSize;
        var patch = new float[k];
        int filters = g.OutChannels / g.Group;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                var cols = new float[k * g.OutSize];
                FloatConv.Im2Col(x.AsSpan(((b * g.InChannels) + (grp * cg)) * g.InSize), g, 0, k, 0, g.OutSize, cols);
                for (int m = 0; m < filters; m++)
                {
                    for (int p = 0; p < g.OutSize; p++)
                    {
                        double exact = 0;
                        double magnitude = 0;
                        for (int kk = 0; kk < k; kk++)
                        {
                            double prod = (double)w[((((grp * filters) + m) * k) + kk)] * cols[(kk * g.OutSize) + p];
                            exact += prod;
                            magnitude += Math.Abs(prod);
                        }

                        float got = y[(((b * g.OutChannels) + (grp * filters) + m) * g.OutSize) + p];
                        if (Math.Abs(got - exact) > (k + 1) * Math.Pow(2, -24) * magnitude)
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool AveragePool_IsWithinRoundingBoundOfExactMean(int seed)
    {
        var rng = new Random(seed);
        int h = rng.Next(1, 12), w = rng.Next(1, 12);
        int kh = rng.Next(1, h + 1), kw = rng.Next(1, w + 1);
        int s = rng.Next(1, 3);
        int pad = rng.Next(0, Math.Min(kh, kw));
        bool include = rng.Next(2) == 0;
        bool mlas = rng.Next(2) == 0;
        var g = ConvGeometry.Resolve([1, 2, h, w], 2, [kh, kw], [s, s], null, [pad, pad, pad, pad], "NOTSET", 1);
        float[] x = RandomFloats(rng, 2 * h * w);
        float[] y = PoolKernels.AveragePool(x, g, include, mlas);
        for (int c = 0; c < 2; c++)
        {
            for (int oy = 0; oy < g.OutSpatial[0]; oy++)
            {
                for (int ox = 0; ox < g.OutSpatial[1]; ox++)
                {
                    double sum = 0, magnitude = 0;
                    int count = 0;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int iy = (oy * s) - pad + ky, ix = (ox * s) - pad + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                sum += x[(((c * h) + iy) * w) + ix];
                                magnitude += Math.Abs(x[(((c * h) + iy) * w) + ix]);
                                count++;
                            }
                        }
                    }

                    double exact = sum / (include ? kh * kw : count);
                    double bound = ((kh * kw) + 2) * Math.Pow(2, -24) * magnitude / (include ? kh * kw : count);
                    float got = y[(((c * g.OutSpatial[0]) + oy) * g.OutSpatial[1]) + ox];
                    if (Math.Abs(got - exact) > bound + 1e-30)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static (bool TransA, bool TransB, int M, int N, int K, float Alpha, float Beta, bool Packed) GemmCase(Random rng)
    {
        int[] ks = [1, 3, 8, 17, 64, 127, 128, 129, 200, 256, 257, 300, 513];
        int m = rng.Next(3) == 0 ? 1 : rng.Next(1, 14);
        int n = rng.Next(3) == 0 ? 1 : rng.Next(1, 40);
        float[] alphas = [1f, 1f, 0.5f, -1.25f];
        float[] betas = [0f, 1f, 0f, 0.75f];
        return (rng.Next(2) == 0, rng.Next(2) == 0, m, n, ks[rng.Next(ks.Length)], alphas[rng.Next(4)], betas[rng.Next(4)], rng.Next(3) == 0);
    }

    private static ConvGeometry ConvCase(Random rng)
    {
        int group = rng.Next(4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 1 };
        bool depthwise = rng.Next(4) == 0;
        int cPer = depthwise ? 1 : rng.Next(1, rng.Next(2) == 0 ? 40 : 6);
        int c = depthwise ? rng.Next(1, 6) : cPer * group;
        if (depthwise)
        {
            group = c;
        }

        int m = group * (depthwise ? 1 : rng.Next(1, rng.Next(2) == 0 ? 3 : 10));
        int h = rng.Next(1, 10), w = rng.Next(1, 10);
        int kh = rng.Next(1, Math.Min(h, 4) + 1), kw = rng.Next(1, Math.Min(w, 4) + 1);
        int s = rng.Next(1, 3);
        int d = 1;
        int p = rng.Next(3) == 0 ? 0 : rng.Next(0, Math.Min(kh, kw));
        return ConvGeometry.Resolve([rng.Next(1, 3), c, h, w], m, [kh, kw], [s, s], [d, d], [p, p, p, p], "NOTSET", group);
    }
}
