using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>
/// <see cref="MatMulNBitsQuantizer"/>'s arithmetic against MLAS's blockwise quantizer worked by hand (q4_dq.cpp:
/// range2scalezp, then roundf(v · (1 / scale) + zp)), on blocks whose scale is a power of two so every product is exact
/// and the ties fall where round-half-away and round-half-even differ.
/// </summary>
public sealed class MatMulNBitsQuantizerTests
{
    [Fact]
    public void Block_RangeIncludesZero_TiesRoundAwayFromZero()
    {
        // min -1, max 2.75: scale 3.75 / 15 = 0.25, zero point 1 / 0.25 = 4.
        float[] block = new float[32];
        block[0] = -1f;
        block[1] = 2.75f;
        block[2] = 0.125f; // 0.125 · 4 + 4 = 4.5 → 5 (half-even would give 4)
        block[3] = -0.875f; // −3.5 + 4 = 0.5 → 1
        block[4] = 0.375f; // 1.5 + 4 = 5.5 → 6
        var codes = new byte[32];
        (float scale, byte zp) = MatMulNBitsQuantizer.QuantizeBlock(block, codes);
        Assert.Equal((0.25f, (byte)4), (scale, zp));
        Assert.Equal([0, 15, 5, 1, 6, 4], codes.Take(6).Select(c => (int)c));
    }

    [Fact]
    public void Block_ZeroPointTie_RoundsAwayFromZero_AndAllPositiveBlocksHaveZeroPointZero()
    {
        var codes = new byte[32];
        float[] tie = new float[32];
        tie[0] = -0.625f; // min −0.625, max 3.125: scale 0.25, zero point 2.5 → 3
        tie[1] = 3.125f;
        Assert.Equal((0.25f, (byte)3), MatMulNBitsQuantizer.QuantizeBlock(tie, codes));

        float[] positive = [.. Enumerable.Repeat(1.875f, 32)]; // min widened to 0: scale 0.125, zero point 0, codes 15
        Assert.Equal((0.125f, (byte)0), MatMulNBitsQuantizer.QuantizeBlock(positive, codes));
        Assert.All(codes, c => Assert.Equal(15, c));

        float[] zeros = new float[32]; // scale 0: reciprocal 0, every code the zero point 0
        Assert.Equal((0f, (byte)0), MatMulNBitsQuantizer.QuantizeBlock(zeros, codes));
        Assert.All(codes, c => Assert.Equal(0, c));
    }

    [Fact]
    public void Weight_Layout_IsMatMulNBits_AndKIsPaddedWithTheZeroPoint()
    {
        // W [40, 2]: K pads to 2 blocks; column 0 holds −k/8, column 1 zeros.
        int k = 40, n = 2;
        float[] w = new float[k * n];
        for (int i = 0; i < k; i++)
        {
            w[i * n] = -i / 8f;
        }

        (TensorValue codes, TensorValue scales, TensorValue zeroPoints) = MatMulNBitsQuantizer.QuantizeWeight(w, k, n);
        Assert.Equal([2, 2, 16], codes.Shape.ToArray());
        Assert.Equal([4], scales.Shape.ToArray());
        Assert.Equal([2], zeroPoints.Shape.ToArray()); // one byte per column: two 4-bit zero points
        float[] s = scales.Items<float>();
        Assert.Equal(3.875f / 15, s[0]); // k 0..31: 0 down to −3.875
        Assert.Equal(4.875f / 15, s[1]); // k 32..39: −4 down to −4.875, and 0 from the padding
        Assert.Equal((0f, 0f), (s[2], s[3]));

        // Column 0's zero points: 15 for both blocks (all values ≤ 0), packed low nibble first; column 1's 0.
        Assert.Equal([0xFF, 0x00], zeroPoints.Items<byte>());
        byte[] b = codes.Items<byte>();

        // Block 2 of column 0 holds k 32..39 (bytes 16..19) then 24 padding zeros, which quantize to the zero point 15.
        Assert.All(b.Skip(16 + 4).Take(12), x => Assert.Equal(0xFF, x));
        Assert.Equal(15, b[0] & 0xF); // k 0 = 0 → the zero point
        Assert.Equal(2, b[16] >> 4); // k 33 = −4.125 → −4.125 · (15 / 4.875) + 15 ≈ 2.31 → 2
    }
}
