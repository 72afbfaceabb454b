namespace SiliconSim.Numerics.Formats.Blocks;

/// <summary>
/// NVFP4: FP4 E2M1 elements in blocks of 16 that share an FP8 E4M3 scale, under one fp32 scale for the whole tensor
/// (NVIDIA, "Introducing NVFP4", 2025; the recipe of TensorRT Model Optimizer and Transformer Engine).
/// V_i ≈ P_i · S_block · S_tensor.
/// </summary>
/// <remarks>
/// Conversion, every step in fp32 in this order:
/// S_tensor = amax(tensor) / (6 · 448), or 1 for an all-zero tensor, so the largest block scale lands on E4M3's max (or
/// a given, calibrated S_tensor: the overload that takes one);
/// S_block = E4M3(amax(block) / 6 / S_tensor) with round-to-nearest-even and saturation;
/// P_i = E2M1(V_i / (decode(S_block) · S_tensor)) with round-to-nearest-even and saturation, or 0 when the block scale
/// decodes to 0. Non-finite inputs are outside the recipe and rejected.
/// </remarks>
public static class NvFp4Codec
{
    public const int BlockSize = 16;

    private const float E2M1Max = 6f;
    private const float E4M3Max = 448f;

    public static int ScaleCount(int count, int blockSize = BlockSize) => (count + blockSize - 1) / blockSize;

    /// <summary>Quantizes <paramref name="values"/> with the tensor scale their own amax gives; returns that scale.</summary>
    /// <param name="blockSize">Values per block scale: 16, or fewer for blocks whose other values are zero padding
    /// (a zero changes no amax and no code), as a low-precision array that skips the padding holds them.</param>
    public static float Quantize(ReadOnlySpan<float> values, Span<byte> codes, Span<byte> blockScales, int blockSize = BlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSize, BlockSize);
        float tensorMax = 0;
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("NVFP4 conversion needs finite values", nameof(values));
            }

            tensorMax = Math.Max(tensorMax, Math.Abs(v));
        }

        float tensorScale = TensorScale(tensorMax);
        QuantizeBlocks(values, tensorScale, codes, blockScales, blockSize);
        return tensorScale;
    }

    /// <summary>The tensor scale that puts <paramref name="amax"/> on the largest block scale (E4M3's 448) times
    /// E2M1's 6: amax / 2688 in fp32, or 1 for a zero amax. A calibrated tensor scale is this of the calibration amax.</summary>
    public static float TensorScale(float amax) => amax == 0 ? 1f : amax / (E2M1Max * E4M3Max);

    /// <summary>
    /// Quantizes <paramref name="values"/> under a given fp32 <paramref name="tensorScale"/> (a static one, calibrated
    /// beforehand, as TensorRT's dynamic block quantization takes it: only the block scales follow the values). A block
    /// whose amax / 6 / tensorScale exceeds 448 saturates its E4M3 scale at 448 and its elements at ±6.
    /// </summary>
    /// <exception cref="ArgumentException">a value is not finite, the tensor scale is not finite and positive, or the
    /// spans disagree in size.</exception>
    public static void Quantize(ReadOnlySpan<float> values, float tensorScale, Span<byte> codes, Span<byte> blockScales)
    {
        if (!float.IsFinite(tensorScale) || tensorScale <= 0)
        {
            throw new ArgumentException($"the NVFP4 tensor scale must be finite and positive, got {tensorScale}", nameof(tensorScale));
        }

        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("NVFP4 conversion needs finite values", nameof(values));
            }
        }

        QuantizeBlocks(values, tensorScale, codes, blockScales, BlockSize);
    }

    private static void QuantizeBlocks(ReadOnlySpan<float> values, float tensorScale, Span<byte> codes, Span<byte> blockScales, int blockSize)
    {
        if (codes.Length != values.Length || blockScales.Length != ScaleCount(values.Length, blockSize))
        {
            throw new ArgumentException("codes must match values and block scales must have one entry per 16 values");
        }

        for (int b = 0; b < blockScales.Length; b++)
        {
            int start = b * blockSize;
            ReadOnlySpan<float> block = values.Slice(start, Math.Min(blockSize, values.Length - start));
            float blockMax = 0;
            foreach (float v in block)
            {
                blockMax = Math.Max(blockMax, Math.Abs(v));
            }

            byte scaleCode = Fp8E4M3Fn.Encode(blockMax / E2M1Max / tensorScale, saturate: true);
            blockScales[b] = scaleCode;
            float divisor = Fp8E4M3Fn.Decode(scaleCode) * tensorScale;
            for (int i = 0; i < block.Length; i++)
            {
                codes[start + i] = divisor == 0 ? (byte)0 : Fp4E2M1.Encode(block[i] / divisor, saturate: true);
            }
        }
    }

    /// <summary>V_i = (P_i · S_block) · S_tensor in fp32 (the first product is exact).</summary>
    public static void Dequantize(ReadOnlySpan<byte> codes, ReadOnlySpan<byte> blockScales, float tensorScale, Span<float> values)
    {
        if (codes.Length != values.Length || blockScales.Length != ScaleCount(values.Length))
        {
            throw new ArgumentException("codes must match values and block scales must have one entry per 16 values");
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Fp4E2M1.Decode(codes[i]) * Fp8E4M3Fn.Decode(blockScales[i / BlockSize]) * tensorScale;
        }
    }
}
