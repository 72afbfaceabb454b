namespace SiliconSim.Numerics.Kernels.Attention;

/// <summary>The attributes of RotaryEmbedding (com.microsoft and ONNX opset 23).</summary>
/// <param name="NumHeads">Heads of a 3-D input; 0 derives them from the caches (head size = rotary dim).</param>
/// <param name="RotaryDim">Rotated leading elements of each head; 0 means the whole head.</param>
/// <param name="Interleaved">Rotate neighbouring pairs rather than split halves.</param>
public sealed record RotaryEmbeddingSpec(int NumHeads, int RotaryDim, bool Interleaved);

/// <summary>
/// RotaryEmbedding on fp32 as ORT 1.31's CPU kernels run it (contrib_ops/cpu/bert/rotary_embedding.cc, RunRotaryEmbedding,
/// which the opset-23 kernel shares): for every (batch, position s, head) the head row is rotated by
/// <see cref="RotaryKernel.Row"/> with the cache row of its position. X is [B, S, N·H] or [B, N, S, H].
/// </summary>
public static class RotaryEmbeddingKernel
{
    /// <summary>com.microsoft: position_ids [B, S] int64, or one int64 offset (position = offset + s); caches
    /// [max_position, rotary_dim / 2].</summary>
    /// <exception cref="ArgumentException">shapes ORT refuses.</exception>
    public static TensorValue Contrib(RotaryEmbeddingSpec spec, TensorValue x, TensorValue positionIds, TensorValue cos, TensorValue sin)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(positionIds);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        var layout = Layout.Of(spec, x, cos);
        if (positionIds.Type != DataType.Int64 || (positionIds.Length != 1 && positionIds.Length != layout.Batch * layout.Seq))
        {
            throw new ArgumentException($"RotaryEmbedding: position_ids must be int64 [{layout.Batch}, {layout.Seq}] or one offset, got {positionIds}");
        }

        long[] ids = positionIds.Items<long>();
        return Run(layout, spec, x, cos, sin, (b, s) => ids.Length == 1 ? ids[0] + s : ids[(b * layout.Seq) + s], cacheRows: cos.Shape[0]);
    }

    /// <summary>ONNX opset 23: with position_ids [B, S] the caches are [max_position, rotary_dim / 2]; without, they
    /// are [B, S, rotary_dim / 2], one row per token.</summary>
    /// <exception cref="ArgumentException">shapes ORT refuses.</exception>
    public static TensorValue Onnx(RotaryEmbeddingSpec spec, TensorValue x, TensorValue cos, TensorValue sin, TensorValue? positionIds)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        var layout = Layout.Of(spec, x, cos);
        if (positionIds is null)
        {
            if (cos.Rank != 3 || cos.Shape[0] != layout.Batch || cos.Shape[1] != layout.Seq)
            {
                throw new ArgumentException($"RotaryEmbedding: without position_ids the caches must be [{layout.Batch}, {layout.Seq}, rotary_dim / 2], got {cos.ShapeText}");
            }

            return Run(layout, spec, x, cos, sin, (b, s) => (b * layout.Seq) + s, cacheRows: layout.Batch * layout.Seq);
        }

        if (positionIds.Type != DataType.Int64 || positionIds.Length != layout.Batch * layout.Seq)
        {
            throw new ArgumentException($"RotaryEmbedding: position_ids must be int64 [{layout.Batch}, {layout.Seq}], got {positionIds}");
        }

        long[] ids = positionIds.Items<long>();
        return Run(layout, spec, x, cos, sin, (b, s) => ids[(b * layout.Seq) + s], cacheRows: cos.Shape[0]);
    }

    private static TensorValue Run(Layout layout, RotaryEmbeddingSpec spec, TensorValue x, TensorValue cosCache, TensorValue sinCache, Func<int, int, long> position, int cacheRows)
    {
        if (!cosCache.Shape.SequenceEqual(sinCache.Shape) || cosCache.Type != DataType.Float || sinCache.Type != DataType.Float)
        {
            throw new ArgumentException($"RotaryEmbedding: cos_cache {cosCache} and sin_cache {sinCache} must be float of one shape");
        }

        float[] xs = x.Items<float>();
        float[] cos = cosCache.Items<float>();
        float[] sin = sinCache.Items<float>();
        var y = new float[xs.Length];
        int h = layout.HeadSize;
        int half = layout.RotaryDim / 2;
        for (int b = 0; b < layout.Batch; b++)
        {
            for (int s = 0; s < layout.Seq; s++)
            {
                long pos = position(b, s);
                if (pos < 0 || pos >= cacheRows)
                {
                    throw new ArgumentException($"RotaryEmbedding: position {pos} is outside the cos/sin cache ({cacheRows} rows)");
                }

                int row = (int)pos * half;
                for (int n = 0; n < layout.Heads; n++)
                {
                    int off = layout.Offset(b, s, n);
                    RotaryKernel.Row(xs.AsSpan(off, h), cos.AsSpan(row, half), sin.AsSpan(row, half), layout.RotaryDim, spec.Interleaved, y.AsSpan(off, h));
                }
            }
        }

        return TensorValue.Create(DataType.Float, [.. x.Shape], y);
    }

    private sealed record Layout(int Batch, int Seq, int Heads, int HeadSize, int RotaryDim, bool HeadsFirst)
    {
        public int Offset(int b, int s, int n) => HeadsFirst
            ? (((((b * Heads) + n) * Seq) + s) * HeadSize)
            : (((((b * Seq) + s) * Heads) + n) * HeadSize);

        public static Layout Of(RotaryEmbeddingSpec spec, TensorValue x, TensorValue cos)
        {
            if (x.Type != DataType.Float || (x.Rank != 3 && x.Rank != 4))
            {
                throw new ArgumentException($"RotaryEmbedding: input must be float [batch, sequence, hidden] or [batch, heads, sequence, head], got {x}");
            }

            if (cos.Rank < 2)
            {
                throw new ArgumentException($"RotaryEmbedding: cos_cache {cos.ShapeText} must have rank ≥ 2");
            }

            int cacheDim = cos.Shape[^1] * 2;
            int batch = x.Shape[0];
            int seq;
            int heads;
            int headSize;
            if (x.Rank == 4)
            {
                heads = x.Shape[1];
                seq = x.Shape[2];
                headSize = x.Shape[3];
            }
            else
            {
                seq = x.Shape[1];
                heads = spec.NumHeads > 0 ? spec.NumHeads : x.Shape[2] / (spec.RotaryDim > 0 ? spec.RotaryDim : cacheDim);
                if (heads <= 0 || x.Shape[2] % heads != 0)
                {
                    throw new ArgumentException($"RotaryEmbedding: hidden size {x.Shape[2]} does not split into {heads} heads");
                }

                headSize = x.Shape[2] / heads;
            }

            int rotary = spec.RotaryDim > 0 ? spec.RotaryDim : headSize;
            if (rotary != cacheDim || rotary > headSize || rotary % 2 != 0)
            {
                throw new ArgumentException($"RotaryEmbedding: rotary dim {rotary} must be even, at most the head size {headSize}, and twice the cache width {cos.Shape[^1]}");
            }

            return new Layout(batch, seq, heads, headSize, rotary, x.Rank == 4);
        }
    }
}
