namespace SiliconSim.Numerics.Formats.Blocks;

/// <summary>
/// OCP Microscaling (MX v1.0) block conversion: each run of <see cref="BlockSize"/> consecutive values shares one E8M0
/// scale X = 2^shared_exp and stores each value as an element code P_i, so that V_i ≈ X · P_i.
/// </summary>
/// <remarks>
/// The conversion is the spec's §6.3 algorithm: shared_exp = floor(log2(max_i |V_i|)) − emax_elem, clamped to E8M0's
/// range [−127, 127]; P_i = the element type's round-to-nearest-even, saturating conversion of V_i / X (division by a
/// power of two, exact in fp32 whenever the quotient is representable). A block whose largest magnitude is 0 gets the
/// smallest scale (code 0, 2^-127) and zero elements. A block containing NaN or ±Inf gets the NaN scale (0xFF), which
/// makes every value of the block decode to NaN; its element codes are 0. The last block may be partial.
/// </remarks>
public static class MxBlockCodec
{
    /// <summary>The MX block size (k = 32 for every concrete MX format in OCP MX v1.0).</summary>
    public const int BlockSize = 32;

    /// <summary>Number of scales for <paramref name="count"/> values.</summary>
    public static int ScaleCount(int count, int blockSize = BlockSize) => (count + blockSize - 1) / blockSize;

    /// <summary>The shared exponent the spec assigns to a block whose largest finite magnitude is <paramref name="maxAbs"/>.</summary>
    public static int SharedExponent(float maxAbs, MxElementType type)
    {
        if (maxAbs == 0)
        {
            return -127;
        }

        // ILogB in double is exact for fp32 subnormals too.
        return Math.Clamp(Math.ILogB((double)maxAbs) - MxElements.MaxNormalExponent(type), -127, 127);
    }

    public static void Quantize(ReadOnlySpan<float> values, MxElementType type, Span<byte> codes, Span<byte> scales, int blockSize = BlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (codes.Length != values.Length || scales.Length != ScaleCount(values.Length, blockSize))
        {
            throw new ArgumentException("codes must match values and scales must have one entry per block");
        }

        for (int b = 0; b < scales.Length; b++)
        {
            int start = b * blockSize;
            ReadOnlySpan<float> block = values.Slice(start, Math.Min(blockSize, values.Length - start));
            Span<byte> blockCodes = codes.Slice(start, block.Length);
            float maxAbs = 0;
            bool special = false;
            foreach (float v in block)
            {
                special |= !float.IsFinite(v);
                maxAbs = Math.Max(maxAbs, Math.Abs(v));
            }

            if (special)
            {
                scales[b] = E8M0.NaN;
                blockCodes.Clear();
                continue;
            }

            int sharedExponent = SharedExponent(maxAbs, type);
            scales[b] = (byte)(sharedExponent + 127);
            for (int i = 0; i < block.Length; i++)
            {
                blockCodes[i] = MxElements.Encode(type, MathF.ScaleB(block[i], -sharedExponent));
            }
        }
    }

    /// <summary>V_i = X · P_i, computed exactly (a power-of-two scale) unless the product leaves fp32's range.</summary>
    public static void Dequantize(ReadOnlySpan<byte> codes, ReadOnlySpan<byte> scales, MxElementType type, Span<float> values, int blockSize = BlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (codes.Length != values.Length || scales.Length != ScaleCount(values.Length, blockSize))
        {
            throw new ArgumentException("codes must match values and scales must have one entry per block");
        }

        for (int i = 0; i < values.Length; i++)
        {
            byte scale = scales[i / blockSize];
            values[i] = scale == E8M0.NaN ? float.NaN : (float)Math.ScaleB(MxElements.Decode(type, codes[i]), scale - 127);
        }
    }
}
