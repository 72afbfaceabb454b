using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.Numerics.Kernels.Normalization;
using SiliconSim.Numerics.Reference;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>
/// Laws for the kernels of ORT's transformer fusions: FusedMatMul is one scalar-reference SGEMM per broadcast batch and
/// reduces to MatMul at alpha 1; BiasGelu is Gelu of the biased input; SkipLayerNormalization on rows shorter than 8
/// is LayerNormalization (ORT's Welford path) of input + skip + bias. The kernels' agreement with ORT itself is tested
/// in the conformance suite.
/// </summary>
public sealed class TransformerKernelProperties
{
    [Property(MaxTest = 100)]
    public bool FusedMatMul_EqualsScalarReferencePerBatch(int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 7), n = rng.Next(1, 9), k = rng.Next(1, rng.Next(2) == 0 ? 20 : 300);
        bool ta = rng.Next(2) == 0, tb = rng.Next(2) == 0;
        float alpha = rng.Next(3) == 0 ? 1f : (float)(rng.NextDouble() * 2 - 1);
        int batch = rng.Next(1, 4);
        int[] aShape = ta ? [batch, k, m] : [batch, m, k];
        int[] bShape = tb ? [n, k] : [k, n];
        float[] a = RandomFloats(rng, batch * m * k);
        float[] b = RandomFloats(rng, k * n);
        bool constantB = rng.Next(2) == 0;
        float[] actual = FusedMatMulKernel.MatMul(TensorValue.FromFloats(aShape, a), TensorValue.FromFloats(bShape, b), alpha, ta, tb, constantB).Items<float>();
        var expected = new float[batch * m * n];
        for (int i = 0; i < batch; i++)
        {
            var c = new float[m * n];
            // A transposed keeps one SGEMM per batch; an untransposed A folds its batch into M (matmul_helper.h).
            int rows = ta ? m : batch * m;
            if (!ta)
            {
                c = new float[rows * n];
                FloatGemmReference.Sgemm(false, tb, rows, n, k, alpha, a, k, b, tb ? k : n, 0f, c, n, constantB);
                c.CopyTo(expected, 0);
                break;
            }

            FloatGemmReference.Sgemm(true, tb, m, n, k, alpha, a[(i * m * k)..((i + 1) * m * k)], m, b, tb ? k : n, 0f, c, n, constantB);
            c.CopyTo(expected, i * m * n);
        }

        return BitMismatches(expected, actual) == 0;
    }

    [Property(MaxTest = 100)]
    public bool FusedMatMul_WithUnitAlpha_EqualsMatMul(int seed)
    {
        var rng = new Random(seed);
        int[] aShape = [.. Enumerable.Range(0, rng.Next(0, 3)).Select(_ => rng.Next(1, 4)), rng.Next(1, 6), rng.Next(1, 40)];
        int[] bShape = rng.Next(3) == 0 ? [aShape[^1]] : [.. (rng.Next(2) == 0 ? Array.Empty<int>() : [aShape.Length > 2 ? aShape[^3] : 1]), aShape[^1], rng.Next(1, 9)];
        var a = TensorValue.FromFloats(aShape, RandomFloats(rng, (int)ShapeMath.ElementCount(aShape)));
        var b = TensorValue.FromFloats(bShape, RandomFloats(rng, (int)ShapeMath.ElementCount(bShape)));
        bool constantB = rng.Next(2) == 0;
        TensorValue fused = FusedMatMulKernel.MatMul(a, b, 1f, false, false, constantB);
        TensorValue plain = MatMulKernel.MatMul(a, b, constantB);
        return fused.Shape.SequenceEqual(plain.Shape) && BitMismatches(plain.Items<float>(), fused.Items<float>()) == 0;
    }

    [Property(MaxTest = 100)]
    public bool BiasGelu_EqualsGeluOfTheBiasedInput(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 40), rows = rng.Next(1, 6);
        float scale = rng.Next(3) switch { 0 => 0.5f, 1 => 3f, _ => 10f };
        float[] x = RandomFloats(rng, rows * n, scale);
        float[] bias = RandomFloats(rng, n, scale);
        float[] fused = BiasGeluKernel.BiasGelu(TensorValue.FromFloats([rows, n], x), TensorValue.FromFloats([n], bias)).Items<float>();
        float[] sum = x.Select((v, i) => v + bias[i % n]).ToArray();
        float[] gelu = ActivationKernels.Gelu(TensorValue.FromFloats([rows, n], sum), "none").Items<float>();
        return BitMismatches(gelu, fused) == 0;
    }

    [Property(MaxTest = 100)]
    public bool SkipLayerNorm_OnRowsShorterThan8_EqualsLayerNormOfTheSum(int seed)
    {
        var rng = new Random(seed);
        int h = rng.Next(1, LayerNormKernel.MlasMinimumNormSize), rows = rng.Next(1, 6);
        float[] x = RandomFloats(rng, rows * h, 3f);
        float[] skip = RandomFloats(rng, rows * h, 3f);
        float[] gamma = RandomFloats(rng, h);
        float[] beta = RandomFloats(rng, h);
        float[] bias = RandomFloats(rng, h);
        bool withBias = rng.Next(2) == 0;
        float eps = rng.Next(2) == 0 ? 1e-5f : 1e-12f;
        float[] fused = SkipLayerNormKernel.Compute(
            TensorValue.FromFloats([rows, h], x), TensorValue.FromFloats([rows, h], skip), TensorValue.FromFloats([h], gamma),
            TensorValue.FromFloats([h], beta), withBias ? TensorValue.FromFloats([h], bias) : null, eps).Y.Items<float>();
        float[] sum = x.Select((v, i) => withBias ? v + skip[i] + bias[i % h] : v + skip[i]).ToArray();
        float[] ln = LayerNormKernel.Compute(TensorValue.FromFloats([rows, h], sum), TensorValue.FromFloats([h], gamma), TensorValue.FromFloats([h], beta), -1, eps).Y.Items<float>();
        return BitMismatches(ln, fused) == 0;
    }
}
