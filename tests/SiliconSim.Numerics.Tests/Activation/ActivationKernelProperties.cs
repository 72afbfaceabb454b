using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.ConvTranspose;
using SiliconSim.Numerics.Kernels.Normalization;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>
/// Laws tying each kernel to its plain reference: MLAS's polynomial activations stay within their approximation error
/// of the exact function, Softmax and LayerNorm rows stay close to their double-precision statements, and ConvTranspose
/// (scatter) equals the gather-form reference to within one rounding.
/// </summary>
public sealed class ActivationKernelProperties
{
    [Property(MaxTest = 100)]
    public bool Sigmoid_IsWithinTwoHundredNanosOfExact(int seed) =>
        AllClose(seed, 30f, MlasMath.Logistic, ActivationReference.Sigmoid, (x, r) => 2e-7f);

    [Property(MaxTest = 100)]
    public bool Tanh_IsWithinFourHundredNanosOfExact(int seed) =>
        AllClose(seed, 12f, MlasMath.Tanh, ActivationReference.Tanh, (x, r) => 4e-7f);

    [Property(MaxTest = 100)]
    public bool Exp_IsWithinTwoUlpsOfExact(int seed) =>
        AllClose(seed, 87f, MlasMath.Exp, ActivationReference.Exp, (x, r) => 2.5e-7f * r);

    [Property(MaxTest = 100)]
    public bool Erf_IsWithinTwoHundredNanosOfExact(int seed) =>
        AllClose(seed, 5f, MlasMath.Erf, ActivationReference.Erf, (x, r) => 2e-7f);

    [Property(MaxTest = 100)]
    public bool Gelu_IsCloseToExact(int seed)
    {
        float[] x = Inputs(seed, 8f);
        float[] none = ActivationKernels.Gelu(TensorValue.FromFloats([x.Length], x), "none").Items<float>();
        float[] tanh = ActivationKernels.Gelu(TensorValue.FromFloats([x.Length], x), "tanh").Items<float>();
        for (int i = 0; i < x.Length; i++)
        {
            float tol = 5e-7f * Math.Max(1f, Math.Abs(x[i]));
            if (Math.Abs(none[i] - ActivationReference.Gelu(x[i])) > tol || Math.Abs(tanh[i] - ActivationReference.GeluTanh(x[i])) > tol)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool SoftmaxRow_IsCloseToDoubleSoftmax(int seed)
    {
        var rng = new Random(seed);
        int d = rng.Next(1, 80);
        float spread = rng.Next(3) switch { 0 => 1f, 1 => 10f, _ => 80f };
        float[] row = Enumerable.Range(0, d).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * spread)).ToArray();
        float[] expected = ActivationReference.SoftmaxRow(row);
        float[] actual = (float[])row.Clone();
        SoftmaxKernel.RowFloat(actual);
        return expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 1e-6f + (2e-6f * p.First));
    }

    [Property(MaxTest = 100)]
    public bool LayerNormRow_IsCloseToTwoPassDouble(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 70);
        float[] x = Enumerable.Range(0, n).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * 4)).ToArray();
        float[] scale = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        float[] bias = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        const float Eps = 1e-5f;
        (float[] ry, float rMean, float rInv) = ActivationReference.LayerNormRow(x, scale, bias, Eps);
        LayerNormResult k = LayerNormKernel.Compute(TensorValue.FromFloats([n], x), TensorValue.FromFloats([n], scale), TensorValue.FromFloats([n], bias), -1, Eps);
        float kMean = k.Mean.Items<float>()[0];
        float kInv = k.InvStdDev.Items<float>()[0];
        return Math.Abs(kMean - rMean) <= 1e-6f
            && Math.Abs(kInv - rInv) <= 1e-5f * rInv
            && k.Y.Items<float>().Zip(ry).All(p => Math.Abs(p.First - p.Second) <= 2e-5f * (1 + Math.Abs(p.Second)));
    }

    [Property(MaxTest = 80)]
    public bool ConvTranspose_EqualsGatherReferenceWithinOneRounding(int seed)
    {
        var rng = new Random(seed);
        int rank = rng.Next(1, 4);
        int group = rng.Next(1, 3);
        int c = group * rng.Next(1, 3);
        int mg = rng.Next(1, 3);
        int[] inSpatial = Enumerable.Range(0, rank).Select(_ => rng.Next(1, rank == 3 ? 3 : 5)).ToArray();
        int[] kernel = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 4)).ToArray();
        long[] strides = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 4)).ToArray();
        long[] dilations = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, 3)).ToArray();
        long[] outPad = strides.Select(s => (long)rng.Next(0, (int)s)).ToArray();
        long[] pads = Enumerable.Range(0, 2 * rank).Select(_ => (long)rng.Next(0, 2)).ToArray();
        ConvTransposeGeometry g;
        try
        {
            g = ConvTransposeGeometry.Resolve([1, c, .. inSpatial], [c, mg, .. kernel], group, strides, dilations, pads, outPad, null, "NOTSET");
        }
        catch (ArgumentException)
        {
            return true; // pads larger than the output: no tensor to compare
        }

        float[] x = Enumerable.Range(0, c * inSpatial.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        float[] w = Enumerable.Range(0, c * mg * kernel.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        float[] bias = Enumerable.Range(0, g.OutChannels).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        float[] expected = ConvTransposeReference.Compute(x, w, bias, g);
        float[] actual = ConvTransposeKernel.Compute(x, w, bias, g);
        return expected.Length == actual.Length && expected.Zip(actual).All(p => UlpStats.Compare([p.First], [p.Second]).MaxUlp <= 1);
    }

    private static float[] Inputs(int seed, float range)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 64).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * range)).ToArray();
    }

    private static bool AllClose(int seed, float range, Func<float, float> kernel, Func<float, float> reference, Func<float, float, float> tolerance)
    {
        foreach (float x in Inputs(seed, range))
        {
            float r = reference(x);
            if (Math.Abs(kernel(x) - r) > tolerance(x, Math.Abs(r)))
            {
                return false;
            }
        }

        return true;
    }
}
