using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// A KV cache stored in a <see cref="KvCacheFormat"/> and read back as float32: what the attention of the next step
/// reads. Only the newly written tokens are rounded (the older ones were rounded when they were written, and a cache
/// is not re-encoded), each token's vector of one head on its own, with the granularity <see cref="LlmFormats.Kv"/>
/// times: fp16 values; int8 symmetric with an fp16 scale amax / 127 per token and head; fp8 E4M3 with a scale
/// amax / 448 per token and head (saturating); fp4 as NVFP4 per token and head (E2M1 in blocks of 16 with E4M3 scales
/// under the vector's own fp32 tensor scale).
/// </summary>
public static class KvCacheRounding
{
    /// <summary>A copy of <paramref name="cache"/> [batch, heads, tokens, head_dim] (float32) with tokens from
    /// <paramref name="firstNew"/> on stored as <paramref name="format"/> and read back.</summary>
    public static TensorValue Store(TensorValue cache, int firstNew, KvCacheFormat format)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (cache.Type != DataType.Float || cache.Rank != 4)
        {
            throw new FormatException($"a KV cache is float32 [batch, heads, tokens, head_dim], got {cache}");
        }

        float[] values = [.. cache.Items<float>()];
        int tokens = cache.Shape[2], dim = cache.Shape[3], vectors = cache.Shape[0] * cache.Shape[1];
        for (int v = 0; v < vectors; v++)
        {
            for (int t = firstNew; t < tokens; t++)
            {
                Round(values.AsSpan(((v * tokens) + t) * dim, dim), format);
            }
        }

        return TensorValue.FromFloats([.. cache.Shape], values);
    }

    /// <summary>One token's vector of one head, rounded in place.</summary>
    public static void Round(Span<float> vector, KvCacheFormat format)
    {
        float amax = 0;
        foreach (float x in vector)
        {
            amax = Math.Max(amax, Math.Abs(x));
        }

        switch (format)
        {
            case KvCacheFormat.Fp16:
                for (int i = 0; i < vector.Length; i++)
                {
                    vector[i] = (float)(Half)vector[i];
                }

                break;
            case KvCacheFormat.Int8:
                {
                    float scale = (float)(Half)(amax / 127f);
                    for (int i = 0; i < vector.Length; i++)
                    {
                        vector[i] = scale == 0 ? 0 : Math.Clamp(MathF.Round(vector[i] / scale, MidpointRounding.ToEven), -127f, 127f) * scale;
                    }

                    break;
                }

            case KvCacheFormat.Fp8:
                {
                    float scale = amax == 0 ? 1f : amax / Fp8E4M3Fn.MaxFinite;
                    for (int i = 0; i < vector.Length; i++)
                    {
                        vector[i] = Fp8E4M3Fn.Decode(Fp8E4M3Fn.Encode(vector[i] / scale, saturate: true)) * scale;
                    }

                    break;
                }

            case KvCacheFormat.Fp4:
                {
                    var codes = new byte[vector.Length];
                    var scales = new byte[NvFp4Codec.ScaleCount(vector.Length)];
                    float tensorScale = NvFp4Codec.Quantize(vector, codes, scales);
                    NvFp4Codec.Dequantize(codes, scales, tensorScale, vector);
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }
}
