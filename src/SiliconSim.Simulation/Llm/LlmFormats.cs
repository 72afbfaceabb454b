using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Llm;

/// <summary>How a decoder's weights are stored and multiplied (<c>--weights</c>).</summary>
public enum LlmWeightFormat
{
    /// <summary>fp16 weights and activations.</summary>
    Fp16,

    /// <summary>W8A8: int8 weights per output channel, int8 activations (SmoothQuant-style).</summary>
    Int8,

    /// <summary>W4A16: 4-bit weights in blocks of 32 with an fp16 scale and a 4-bit zero point (ORT's MatMulNBits),
    /// dequantized to fp16 in front of fp16 multipliers.</summary>
    Int4,

    /// <summary>FP8 E4M3 weights and activations, per-tensor scales.</summary>
    Fp8,

    /// <summary>OCP MXFP4: E2M1 in blocks of 32 with an E8M0 scale, weights and activations.</summary>
    Mxfp4,

    /// <summary>NVFP4: E2M1 in blocks of 16 with an E4M3 scale (and an fp32 tensor scale), weights and activations.</summary>
    Nvfp4,
}

/// <summary>How the KV cache is stored (<c>--kv</c>); the attention matmuls multiply in it.</summary>
public enum KvCacheFormat
{
    Fp16,

    /// <summary>int8 with an fp16 scale per token and head.</summary>
    Int8,

    /// <summary>FP8 E4M3, a per-tensor scale.</summary>
    Fp8,

    /// <summary>E2M1 with an E4M3 scale per 16 values (NVFP4's blocks).</summary>
    Fp4,
}

/// <summary>
/// A stored format: the element type and the scale bits each block of elements carries. Bytes of n elements are
/// <c>ceil(n x element bits / 8) + ceil(n / block) x scale bits / 8</c>.
/// </summary>
/// <param name="Element">The element type as stored and as the array multiplies it.</param>
/// <param name="ScaleBitsPerBlock">Scale (and zero point) bits per block; 0 for none or a per-tensor scale.</param>
/// <param name="BlockSize">Elements per block.</param>
public sealed record StoredLlmFormat(DataType Element, int ScaleBitsPerBlock, int BlockSize)
{
    public long ElementBytes(long elements) => ((elements * DataTypeInfo.BitWidth(Element)) + 7) / 8;

    public long ScaleBytes(long elements) => ScaleBitsPerBlock == 0 ? 0 : ((((elements + BlockSize - 1) / BlockSize) * ScaleBitsPerBlock) + 7) / 8;

    public long Bytes(long elements) => ElementBytes(elements) + ScaleBytes(elements);

    /// <summary>The block scales a tiler operand in this format carries; null without per-block scales.</summary>
    public Layers.BlockScales? Scales => ScaleBitsPerBlock == 0 ? null : new(ScaleBitsPerBlock, BlockSize);
}

/// <summary>What each format means on the array: stored weights, the activation type matrix inputs take, the KV cache.</summary>
public static class LlmFormats
{
    /// <summary>The weights as stored. Per-channel and per-tensor scales are counted as one fp32 per output channel
    /// (int8) or none (fp8, fp16): they are a rounding error of a weight matrix.</summary>
    public static StoredLlmFormat Weights(LlmWeightFormat format) => format switch
    {
        LlmWeightFormat.Fp16 => new(DataType.Float16, 0, 1),
        LlmWeightFormat.Int8 => new(DataType.Int8, 0, 1),
        LlmWeightFormat.Int4 => new(DataType.Int4, 16 + 4, 32), // fp16 scale + 4-bit zero point per 32 (MatMulNBits, block 32)
        LlmWeightFormat.Fp8 => new(DataType.Float8E4M3FN, 0, 1),
        LlmWeightFormat.Mxfp4 => new(DataType.Float4E2M1, 8, 32), // E8M0 per 32 (OCP MX v1.0)
        LlmWeightFormat.Nvfp4 => new(DataType.Float4E2M1, 8, 16), // E4M3 per 16
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The type a matrix layer's activation operand has on the array under this weight format.</summary>
    public static StoredLlmFormat Activations(LlmWeightFormat format) => format switch
    {
        LlmWeightFormat.Fp16 or LlmWeightFormat.Int4 => new(DataType.Float16, 0, 1),
        LlmWeightFormat.Int8 => new(DataType.Int8, 0, 1),
        LlmWeightFormat.Fp8 => new(DataType.Float8E4M3FN, 0, 1),
        LlmWeightFormat.Mxfp4 => new(DataType.Float4E2M1, 8, 32),
        LlmWeightFormat.Nvfp4 => new(DataType.Float4E2M1, 8, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static StoredLlmFormat Kv(KvCacheFormat format) => format switch
    {
        KvCacheFormat.Fp16 => new(DataType.Float16, 0, 1),
        KvCacheFormat.Int8 => new(DataType.Int8, 16, 128), // fp16 scale per token and head of 128 (head_dim)
        KvCacheFormat.Fp8 => new(DataType.Float8E4M3FN, 0, 1),
        KvCacheFormat.Fp4 => new(DataType.Float4E2M1, 8, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Name(LlmWeightFormat format) => format.ToString().ToLowerInvariant();

    public static string Name(KvCacheFormat format) => format.ToString().ToLowerInvariant();
}
