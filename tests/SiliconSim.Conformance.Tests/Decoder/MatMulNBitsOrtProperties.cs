using FsCheck.Xunit;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Blockwise;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// Law: com.microsoft MatMulNBits gives ONNX Runtime's bits over generated bits (4, 8), block sizes (16 to 256), K that is
/// often not a multiple of the block, N across MLAS's 4-column groups and 128-column slices, one row (decode, the M1
/// kernel) or several, no / uint8 / float zero points and an optional bias, at accuracy level 0; and at accuracy level 4
/// (int8 activations, MLAS's AVX512-VNNI CompInt8 kernels) for 4-bit and 8-bit weights and every block size. A
/// non-constant B at level 4, and level 4 on a host without AVX512-VNNI, are refused naming the case.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class MatMulNBitsOrtProperties(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] s_blockSizes = [16, 32, 64, 128, 256];
    private long _compared;
    private int _cases;

    [Property(MaxTest = 80)]
    public void MatMulNBits_GeneratedShapesAndQuantization_EqualsOrt(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        var c = MatMulNBitsCase.Generate(rng, accuracyLevels: [0]);
        int bad = OrtDifferential.Mismatches(c.Model, [("a", c.A)], out string first, out long compared);
        Assert.True(bad == 0, $"{seed}: {c}: {bad}/{compared} mismatches; {first}");
        _compared += compared;
        _cases++;
    }

    [Property(MaxTest = 80)]
    public void MatMulNBits_AccuracyLevel4_EqualsOrt(CaseSeed seed)
    {
        var rng = new Random(seed.Value);
        var c = MatMulNBitsCase.Generate(rng, accuracyLevels: [4], bitChoices: [4, 8], blockSizes: [16, 32, 64, 128, 256], floatZeroPoints: true);
        if (c.Int8Compute && !MatMulNBitsKernel.CompInt8HostIsModelled)
        {
            // ORT runs another MLAS kernel here; SiliconSim must refuse rather than return other bits.
            var refused = Assert.ThrowsAny<Exception>(() => OrtDifferential.RunOurs(c.Model, [("a", c.A)]));
            Assert.Contains("AVX512-VNNI", refused.Message, StringComparison.Ordinal);
            return;
        }

        int bad = OrtDifferential.Mismatches(c.Model, [("a", c.A)], out string first, out long compared);
        Assert.True(bad == 0, $"{seed}: {c}: {bad}/{compared} mismatches; {first}");
        _compared += compared;
        _cases++;
    }

    [Theory]
    [InlineData(4, 32)]
    [InlineData(8, 32)]
    [InlineData(8, 16)]
    public void MatMulNBits_AccuracyLevel4NonConstantB_IsRefusedNamingTheCase(int bits, int blockSize)
    {
        // ORT only prepacks a constant B; with B fed at run time its level-4 arithmetic is not modelled.
        var spec = new MatMulNBitsSpec(K: 32, N: 2, Bits: bits, BlockSize: blockSize, AccuracyLevel: 4);
        var a = TensorValue.FromFloats([1, 32], new float[32]);
        int blocks = 32 / blockSize;
        var b = TensorValue.Create(DataType.UInt8, [2, blocks, blockSize * bits / 8], new byte[2 * 32 * bits / 8]);
        var scales = TensorValue.FromFloats([2 * blocks], [.. Enumerable.Repeat(1f, 2 * blocks)]);
        var e = Assert.Throws<ArgumentException>(() => MatMulNBitsKernel.Compute(spec, a, b, scales, null, null, bIsConstant: false));
        Assert.Contains("accuracy_level 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("non-constant B", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => output.WriteLine($"{_cases} cases, {_compared} values compared with ONNX Runtime, 0 mismatches");

    /// <summary>One generated MatMulNBits model and its input.</summary>
    internal sealed record MatMulNBitsCase(OnnxBuilder Model, TensorValue A, string Text, bool Int8Compute)
    {
        public override string ToString() => Text;

        public static MatMulNBitsCase Generate(Random rng, int[] accuracyLevels, int[]? bitChoices = null, int[]? blockSizes = null, bool floatZeroPoints = true)
        {
            bitChoices ??= [4, 8];
            blockSizes ??= s_blockSizes;
            int bits = bitChoices[rng.Next(bitChoices.Length)];
            int bs = blockSizes[rng.Next(blockSizes.Length)];
            int k = rng.Next(3) == 0 ? bs * rng.Next(1, 4) : rng.Next(1, 320);
            int n = rng.Next(3) == 0 ? rng.Next(1, 9) : rng.Next(9, 140);
            int m = rng.Next(2) == 0 ? 1 : rng.Next(2, 6);
            int accuracy = accuracyLevels[rng.Next(accuracyLevels.Length)];
            int blocks = (k + bs - 1) / bs;
            int blob = bs * bits / 8;
            var codes = new byte[n * blocks * blob];
            rng.NextBytes(codes);
            var scales = new float[n * blocks];
            for (int i = 0; i < scales.Length; i++)
            {
                scales[i] = (float)((rng.NextDouble() + 0.05) * (rng.Next(2) == 0 ? 0.02 : 0.3) * (rng.Next(8) == 0 ? -1 : 1));
            }

            int zpKind = rng.Next(bits == 4 && floatZeroPoints ? 3 : 2);
            int[] aShape = rng.Next(2) == 0 ? [m, k] : [1, m, k];
            var a = OrtDifferential.Floats(rng, aShape, rng.Next(2) == 0 ? 1 : 8);
            var b = new OnnxBuilder(opset: 21).Input("a", DataType.Float, [.. aShape.Select(d => (int?)d)])
                .Initializer("b", TensorValue.Create(DataType.UInt8, [n, blocks, blob], codes))
                .Initializer("scales", TensorValue.FromFloats([n * blocks], scales));
            string zp = string.Empty;
            if (zpKind == 1)
            {
                int zpBytes = n * (((blocks * bits) + 7) / 8);
                var z = new byte[zpBytes];
                rng.NextBytes(z);
                b.Initializer("zp", TensorValue.Create(DataType.UInt8, [zpBytes], z));
                zp = "zp";
            }
            else if (zpKind == 2)
            {
                b.Initializer("zp", TensorValue.FromFloats([n * blocks], [.. Enumerable.Range(0, n * blocks).Select(_ => (float)(rng.NextDouble() * 15))]));
                zp = "zp";
            }

            bool withBias = rng.Next(3) == 0;
            if (withBias)
            {
                b.Initializer("bias", OrtDifferential.Floats(rng, [n], 1));
            }

            string[] inputs = withBias ? ["a", "b", "scales", zp, string.Empty, "bias"] : zp.Length > 0 ? ["a", "b", "scales", zp] : ["a", "b", "scales"];
            b.Node("MatMulNBits", inputs, ["y"], "com.microsoft", attributes: [("K", (long)k), ("N", (long)n), ("bits", (long)bits), ("block_size", (long)bs), ("accuracy_level", (long)accuracy)])
                .Output("y", DataType.Float);
            string text = $"bits {bits}, block {bs}, K {k}, N {n}, A [{string.Join(",", aShape)}], zero points {(zpKind switch { 0 => "none", 1 => "uint8", _ => "float" })}, bias {withBias}, accuracy {accuracy}";
            return new MatMulNBitsCase(b, a, text, Int8Compute: accuracy == 4 && zpKind != 2);
        }
    }
}
