using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Attention;
using SiliconSim.Numerics.Kernels.Blockwise;
using SiliconSim.Numerics.Kernels.Normalization;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// The ops ONNX Runtime GenAI's model builder emits for CPU decoders (Llama, Mistral, Qwen2, Phi-3), and the QuickGelu
/// ORT fuses SiLU into, each in ORT 1.31's CPU arithmetic: RMSNorm (SimplifiedLayerNormalization,
/// SkipSimplifiedLayerNormalization), GroupQueryAttention, RotaryEmbedding (com.microsoft and opset 23), MatMulNBits.
/// </summary>
internal static class DecoderOps
{
    /// <summary>SimplifiedLayerNormalization (ORT registers it in the default domain): Y and the optional inv_std_var.</summary>
    [OnnxOp("SimplifiedLayerNormalization")]
    [OnnxOp("SimplifiedLayerNormalization", "com.microsoft")]
    public static TensorValue[] SimplifiedLayerNormalization(OpContext ctx)
    {
        var (y, inv) = OpGuard.Run(() => RmsNormKernel.Simplified(ctx.Input(0), ctx.Input(1), ctx.Int("axis", -1), ctx.Float("epsilon", 1e-5f)));
        return [y, inv];
    }

    /// <summary>com.microsoft SkipSimplifiedLayerNormalization: outputs Y, (mean, inv_std_var: not produced), and the
    /// input + skip + bias sum.</summary>
    [OnnxOp("SkipSimplifiedLayerNormalization", "com.microsoft")]
    public static TensorValue[] SkipSimplifiedLayerNormalization(OpContext ctx)
    {
        if (!ctx.HasAttribute("epsilon"))
        {
            throw new OpException("SkipSimplifiedLayerNormalization needs the epsilon attribute");
        }

        var (y, sum) = OpGuard.Run(() => RmsNormKernel.Skip(ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.OptionalInput(3), ctx.Float("epsilon", 0f)));
        return [y, TensorValue.Zeros(DataType.Float, [0]), TensorValue.Zeros(DataType.Float, [0]), sum];
    }

    /// <summary>com.microsoft QuickGelu: x·σ(alpha·x) with MLAS's logistic; alpha 1 is SiLU (the product x·alpha is
    /// skipped then, so the bits equal Mul(x, Sigmoid(x))).</summary>
    [OnnxOp("QuickGelu", "com.microsoft")]
    public static TensorValue[] QuickGelu(OpContext ctx)
    {
        TensorValue x = ctx.Input(0);
        if (x.Type != DataType.Float)
        {
            throw new OpException($"QuickGelu supports float only, got {DataTypeInfo.Name(x.Type)}");
        }

        // Default 1.702 (the attribute's documented default): the CLIP approximation of Gelu.
        float alpha = ctx.Float("alpha", 1.702f);
        float[] xs = x.Items<float>();
        var y = new float[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            float v = alpha == 1f ? xs[i] : xs[i] * alpha;
            y[i] = xs[i] * MlasMath.Logistic(v);
        }

        return [TensorValue.Create(DataType.Float, [.. x.Shape], y)];
    }

    /// <summary>com.microsoft GroupQueryAttention: output, present_key, present_value.</summary>
    [OnnxOp("GroupQueryAttention", "com.microsoft")]
    public static TensorValue[] GroupQueryAttention(OpContext ctx)
    {
        if (ctx.InputCount > 9 && Enumerable.Range(9, ctx.InputCount - 9).Any(i => ctx.OptionalInput(i) is not null))
        {
            throw new OpException("GroupQueryAttention with position_ids, attention_bias or head_sink is not supported");
        }

        if (ctx.Int("smooth_softmax", 0) != 0)
        {
            throw new OpException("GroupQueryAttention with smooth_softmax is not supported");
        }

        var spec = new GroupQueryAttentionSpec(
            (int)ctx.Int("num_heads"),
            (int)ctx.Int("kv_num_heads"),
            ctx.Float("scale", 0f),
            ctx.Float("softcap", 0f),
            (int)ctx.Int("local_window_size", -1),
            ctx.Int("do_rotary", 0) == 1,
            ctx.Int("rotary_interleaved", 0) == 1);
        var (output, presentKey, presentValue) = OpGuard.Run(() => GroupQueryAttentionKernel.Compute(
            spec, ctx.Input(0), ctx.OptionalInput(1), ctx.OptionalInput(2), ctx.OptionalInput(3), ctx.OptionalInput(4),
            ctx.Input(5), ctx.Input(6), ctx.OptionalInput(7), ctx.OptionalInput(8)));
        return [output, presentKey, presentValue];
    }

    /// <summary>com.microsoft RotaryEmbedding: input [B, S, hidden] or [B, S, N, H], position_ids [B, S] (or one
    /// offset), cos/sin caches [max_position, rotary_dim / 2].</summary>
    [OnnxOp("RotaryEmbedding", "com.microsoft")]
    public static TensorValue[] RotaryEmbeddingMs(OpContext ctx)
    {
        if (ctx.Int("is_packed_batching", 0) != 0)
        {
            throw new OpException("RotaryEmbedding with is_packed_batching is not supported");
        }

        var spec = new RotaryEmbeddingSpec((int)ctx.Int("num_heads", 0), (int)ctx.Int("rotary_embedding_dim", 0), ctx.Int("interleaved", 0) == 1);
        return [OpGuard.Run(() => RotaryEmbeddingKernel.Contrib(spec, ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3)))];
    }

    /// <summary>ONNX RotaryEmbedding (opset 23): X, cos_cache, sin_cache, optional position_ids.</summary>
    [OnnxOp("RotaryEmbedding", SinceVersion = 23)]
    public static TensorValue[] RotaryEmbedding(OpContext ctx)
    {
        var spec = new RotaryEmbeddingSpec((int)ctx.Int("num_heads", 0), (int)ctx.Int("rotary_embedding_dim", 0), ctx.Int("interleaved", 0) == 1);
        return [OpGuard.Run(() => RotaryEmbeddingKernel.Onnx(spec, ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.OptionalInput(3)))];
    }

    /// <summary>com.microsoft MatMulNBits: A, B, scales, zero_points, (g_idx: refused), bias.</summary>
    [OnnxOp("MatMulNBits", "com.microsoft")]
    public static TensorValue[] MatMulNBits(OpContext ctx)
    {
        if (ctx.OptionalInput(4) is not null)
        {
            throw new OpException("MatMulNBits with g_idx is not supported");
        }

        var spec = new MatMulNBitsSpec((int)ctx.Int("K"), (int)ctx.Int("N"), (int)ctx.Int("bits", 4), (int)ctx.Int("block_size"), (int)ctx.Int("accuracy_level", 0));
        return [OpGuard.Run(() => MatMulNBitsKernel.Compute(spec, ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.OptionalInput(3), ctx.OptionalInput(5), ctx.IsConstant(1)))];
    }
}
