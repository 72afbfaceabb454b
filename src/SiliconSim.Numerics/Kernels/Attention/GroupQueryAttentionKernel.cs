using SiliconSim.Numerics.Kernels.Activation;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Kernels.Attention;

/// <summary>The attributes of com.microsoft GroupQueryAttention.</summary>
/// <param name="NumHeads">Query heads N.</param>
/// <param name="KvNumHeads">Key/value heads; N must be a multiple of it (N / KvNumHeads query heads share one).</param>
/// <param name="Scale">The QKᵀ scale; 0 means 1/√head_size.</param>
/// <param name="Softcap">When &gt; 0, scores become softcap·tanh(score/softcap) before the softmax.</param>
/// <param name="LocalWindowSize">When ≥ 0, a query attends to at most its last LocalWindowSize keys; −1: no window.</param>
/// <param name="DoRotary">Rotate Q and K with the cos/sin caches first.</param>
/// <param name="RotaryInterleaved">Rotate neighbouring pairs rather than split halves.</param>
public sealed record GroupQueryAttentionSpec(int NumHeads, int KvNumHeads, float Scale, float Softcap, int LocalWindowSize, bool DoRotary, bool RotaryInterleaved);

/// <summary>
/// com.microsoft GroupQueryAttention on fp32 as ORT 1.31's CPU kernel computes it (contrib_ops/cpu/bert/
/// group_query_attention.cc, gqa_attention_base.h, mlas/lib/flashattn_gqa.cpp), with one intra-op thread.
/// <list type="number">
/// <item>Q [B, S, N·H] (or packed QKV [B, S, (N + 2·Nkv)·H] when key is absent) is viewed as BNSH. With do_rotary, Q and
/// K heads are rotated (<see cref="RotaryKernel"/>) at position s for the first prompt (S = total length), else at
/// total_b − S + s, where total_b = seqlens_k[b] + 1; a position past total_b is 1 (padding).</item>
/// <item>present K/V [B, Nkv, T, H], T = max(total_sequence_length, past buffer length), is zeroed; per head the first
/// past_b = (first prompt ? 0 : total_b − S) rows of past are copied and the S new rows appended.</item>
/// <item>Attention then takes one of three paths: the flash kernel's tiled online softmax for S &gt; 1
/// (<see cref="Flash"/>), its GEMV decode for S = 1 (<see cref="Decode"/>), both when the total length exceeds 1 and
/// there is no softcap; otherwise full scores, softcap and MLAS softmax, then probs·V (<see cref="Naive"/>). A local
/// window keeps the last local_window_size keys.</item>
/// </list>
/// </summary>
public static class GroupQueryAttentionKernel
{
    /// <summary>Output [B, S, N·H], present key and present value [B, Nkv, T, H].</summary>
    /// <exception cref="ArgumentException">shapes or lengths that ORT's input check refuses.</exception>
    public static (TensorValue Output, TensorValue PresentKey, TensorValue PresentValue) Compute(
        GroupQueryAttentionSpec spec,
        TensorValue query,
        TensorValue? key,
        TensorValue? value,
        TensorValue? pastKey,
        TensorValue? pastValue,
        TensorValue seqlensK,
        TensorValue totalSequenceLength,
        TensorValue? cosCache,
        TensorValue? sinCache)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(seqlensK);
        ArgumentNullException.ThrowIfNull(totalSequenceLength);
        var g = Geometry.Resolve(spec, query, key, value, pastKey, pastValue, seqlensK, totalSequenceLength, cosCache, sinCache);

        // BNSH copies of Q, K, V (MaybeTransposeToBNSH), rotated in place when asked.
        float[] q = ToBnsh(query.Items<float>(), g.Batch, g.Seq, g.QkvHeads, g.HeadSize, headOffset: 0, g.QHeads);
        float[] k = g.Packed ? ToBnsh(query.Items<float>(), g.Batch, g.Seq, g.QkvHeads, g.HeadSize, g.QHeads, g.KvHeads) : ToBnsh(key!.Items<float>(), g.Batch, g.Seq, g.KvHeads, g.HeadSize, 0, g.KvHeads);
        float[] v = g.Packed ? ToBnsh(query.Items<float>(), g.Batch, g.Seq, g.QkvHeads, g.HeadSize, g.QHeads + g.KvHeads, g.KvHeads) : ToBnsh(value!.Items<float>(), g.Batch, g.Seq, g.KvHeads, g.HeadSize, 0, g.KvHeads);
        int[] totals = [.. seqlensK.Items<int>().Select(s => s + 1)];
        if (spec.DoRotary)
        {
            float[] cos = cosCache!.Items<float>();
            float[] sin = sinCache!.Items<float>();
            Rotate(q, g, g.QHeads, totals, cos, sin, spec.RotaryInterleaved);
            Rotate(k, g, g.KvHeads, totals, cos, sin, spec.RotaryInterleaved);
        }

        int h = g.HeadSize;
        int t = g.PresentLength;
        var presentK = new float[g.Batch * g.KvHeads * t * h];
        var presentV = new float[presentK.Length];
        float[]? pk = pastKey?.Items<float>();
        float[]? pv = pastValue?.Items<float>();
        for (int b = 0; b < g.Batch; b++)
        {
            int past = PastLength(g, totals[b]);
            for (int kv = 0; kv < g.KvHeads; kv++)
            {
                int head = (b * g.KvHeads) + kv;
                Concat(pk, k, presentK, head, past, g);
                Concat(pv, v, presentV, head, past, g);
            }
        }

        float alpha = spec.Scale == 0f ? 1f / MathF.Sqrt(h) : spec.Scale;
        int hidden = g.QHeads * h;
        var output = new float[g.Batch * g.Seq * hidden];
        if (g.TotalLength > 1 && spec.Softcap == 0f)
        {
            Flash(g, spec, q, presentK, presentV, totals, alpha, output);
        }
        else
        {
            Naive(g, spec, q, presentK, presentV, totals, alpha, output);
        }

        int[] presentShape = [g.Batch, g.KvHeads, t, h];
        return (TensorValue.Create(DataType.Float, [g.Batch, g.Seq, hidden], output),
            TensorValue.Create(DataType.Float, presentShape, presentK),
            TensorValue.Create(DataType.Float, presentShape, presentV));
    }

    /// <summary>ApplyAttention: scores for the whole row, softcap and softmax over the attended span, then probs·V.</summary>
    private static void Naive(Geometry g, GroupQueryAttentionSpec spec, float[] q, float[] presentK, float[] presentV, int[] totals, float alpha, float[] output)
    {
        int h = g.HeadSize;
        int t = g.PresentLength;
        int group = g.QHeads / g.KvHeads;
        int hidden = g.QHeads * h;
        var probs = new float[g.Seq * t];
        for (int b = 0; b < g.Batch; b++)
        {
            int total = totals[b];
            int past = PastLength(g, total);
            for (int n = 0; n < g.QHeads; n++)
            {
                int kvHead = (b * g.KvHeads) + (n / group);
                ReadOnlySpan<float> qHead = q.AsSpan(((b * g.QHeads) + n) * g.Seq * h, g.Seq * h);
                ReadOnlySpan<float> kHead = presentK.AsSpan(kvHead * t * h, t * h);
                ReadOnlySpan<float> vHead = presentV.AsSpan(kvHead * t * h, t * h);
                Array.Clear(probs);
                FloatGemm.Sgemm(false, true, g.Seq, total, h, alpha, qHead, h, kHead, h, 0f, probs, t);
                for (int s = 0; s < g.Seq; s++)
                {
                    Softmax(probs.AsSpan(s * t, total), Math.Min(past + s + 1, total), spec);
                }

                FloatGemm.Sgemm(false, false, g.Seq, h, total, 1f, probs, t, vHead, h, 0f, output.AsSpan(((b * g.Seq * g.QHeads) + n) * h), hidden);
            }
        }
    }

    /// <summary>
    /// MlasFlashAttentionGQA (mlas/lib/flashattn_gqa.cpp), which ORT 1.31 runs for fp32 when the total length exceeds 1
    /// and there is no softcap: per (batch, head, block of Q rows) an online softmax over blocks of K/V rows. Each block:
    /// scores = SGEMM(Q, Kᵀ, alpha); keys past the causal limit or before the local window become −FLT_MAX; a row whose
    /// block is all masked is zeroed and skipped; otherwise m' = max(m, rowmax), the row becomes exp(s − m') with MLAS's
    /// sum-exp kernel (its lane sum is the row sum), and for later blocks l = expf(m − m')·l + rowsum and the output so
    /// far is scaled by expf(m − m'); O = SGEMM(P, V) with beta 0 for the first block, 1 after. Finally out = O·(1/l).
    /// Blocks start past the last causal key; block sizes follow ORT's L2-derived formula (<see cref="KvBlockSize"/>).
    /// </summary>
    private static void Flash(Geometry g, GroupQueryAttentionSpec spec, float[] q, float[] presentK, float[] presentV, int[] totals, float alpha, float[] output)
    {
        int h = g.HeadSize;
        int t = g.PresentLength;
        int group = g.QHeads / g.KvHeads;
        int hidden = g.QHeads * h;
        int maxTotal = totals.Max();
        bool ragged = totals.Min() != maxTotal;
        int kvBlock = Math.Min(KvBlockSize(h), maxTotal);
        int qBlock = Math.Min(Math.Min(KvBlockSize(h), 2 * h), g.Seq);
        var scores = new float[qBlock * kvBlock];
        var temp = new float[qBlock * h];
        var m = new float[qBlock];
        var l = new float[qBlock];
        for (int b = 0; b < g.Batch; b++)
        {
            // Ragged lengths run one batch item at a time with its own total and a block size cut to it.
            int total = ragged ? totals[b] : maxTotal;
            int past = ragged ? (g.FirstPrompt ? 0 : Math.Max(0, total - g.Seq)) : (g.FirstPrompt ? 0 : maxTotal - g.Seq);
            int block = ragged ? Math.Min(kvBlock, total) : kvBlock;
            if (g.Seq == 1)
            {
                Decode(g, spec, q, presentK, presentV, b, total, alpha, output);
                continue;
            }

            for (int n = 0; n < g.QHeads; n++)
            {
                int kvHead = (b * g.KvHeads) + (n / group);
                ReadOnlySpan<float> kHead = presentK.AsSpan(kvHead * t * h, t * h);
                ReadOnlySpan<float> vHead = presentV.AsSpan(kvHead * t * h, t * h);
                for (int q0 = 0; q0 < g.Seq; q0 += qBlock)
                {
                    int rows = Math.Min(qBlock, g.Seq - q0);
                    ReadOnlySpan<float> qRows = q.AsSpan((((b * g.QHeads) + n) * g.Seq * h) + (q0 * h), rows * h);
                    m.AsSpan().Fill(float.MinValue);
                    l.AsSpan().Clear();
                    temp.AsSpan().Clear();
                    int causalEnd = past + q0 + rows;
                    for (int ir = 0; ir < total && ir < causalEnd; ir += block)
                    {
                        int cols = Math.Min(block, total - ir);
                        Span<float> sc = scores.AsSpan(0, rows * cols);
                        FloatGemm.Sgemm(false, true, rows, cols, h, alpha, qRows, h, kHead[(ir * h)..], h, 0f, sc, cols);
                        for (int r = 0; r < rows; r++)
                        {
                            OnlineSoftmaxRow(sc.Slice(r * cols, cols), ir, past + q0 + r + 1, spec.LocalWindowSize, ref m[r], ref l[r], temp.AsSpan(r * h, h));
                        }

                        FloatGemm.Sgemm(false, false, rows, h, cols, 1f, sc, cols, vHead[(ir * h)..], h, ir == 0 ? 0f : 1f, temp, h);
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        float invL = l[r] > 0f ? 1f / l[r] : 0f;
                        Span<float> dst = output.AsSpan((((b * g.Seq) + q0 + r) * hidden) + (n * h), h);
                        for (int c = 0; c < h; c++)
                        {
                            dst[c] = temp[(r * h) + c] * invL;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// MlasGQADecodeGQAThreaded, the flash kernel's single-token path (one intra-op thread, so no K/V split): per head
    /// scores[t] = DecodeQK(q, K_t)·scale over the whole length (<see cref="DecodeDot"/>); keys before the local window
    /// become −FLT_MAX; MLAS max and sum-exp; out[c] = Σ_t p_t·V[t, c] accumulated in t order with a rounded product and
    /// an add; then out·(1/l).
    /// </summary>
    private static void Decode(Geometry g, GroupQueryAttentionSpec spec, float[] q, float[] presentK, float[] presentV, int b, int total, float alpha, float[] output)
    {
        int h = g.HeadSize;
        int t = g.PresentLength;
        int group = g.QHeads / g.KvHeads;
        int window = spec.LocalWindowSize;
        int windowStart = window >= 0 && total > window ? total - window : 0;
        var scores = new float[total];
        var acc = new float[h];
        Span<float> lanes = stackalloc float[16];
        for (int n = 0; n < g.QHeads; n++)
        {
            int kvHead = (b * g.KvHeads) + (n / group);
            ReadOnlySpan<float> qRow = q.AsSpan(((b * g.QHeads) + n) * h, h);
            for (int k = 0; k < total; k++)
            {
                scores[k] = k < windowStart ? float.MinValue : DecodeDot(qRow, presentK.AsSpan((kvHead * t * h) + (k * h), h)) * alpha;
            }

            Span<float> dst = output.AsSpan(((b * g.QHeads) + n) * h, h);
            float rowMax = float.MinValue;
            foreach (float v in scores)
            {
                rowMax = rowMax > v ? rowMax : v;
            }

            if (rowMax == float.MinValue)
            {
                dst.Clear();
                continue;
            }

            lanes.Clear();
            for (int k = 0; k < total; k++)
            {
                float e = MlasMath.SumExpTerm(scores[k], -rowMax);
                scores[k] = e;
                lanes[k & 15] += e;
            }

            float rowSum = SoftmaxKernel.LaneSum(lanes);
            Array.Clear(acc);
            for (int k = 0; k < total; k++)
            {
                float p = scores[k];
                ReadOnlySpan<float> vRow = presentV.AsSpan((kvHead * t * h) + (k * h), h);
                for (int c = 0; c < h; c++)
                {
                    float prod = p * vRow[c];
                    acc[c] += prod;
                }
            }

            float invL = rowSum > 0f ? 1f / rowSum : 0f;
            for (int c = 0; c < h; c++)
            {
                dst[c] = acc[c] * invL;
            }
        }
    }

    /// <summary>MlasGQADecodeQK's dot product (baseline ISA, so products are rounded before each add): eight lanes
    /// over full groups of 8, folded ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)), then the tail in order.</summary>
    private static float DecodeDot(ReadOnlySpan<float> q, ReadOnlySpan<float> k)
    {
        Span<float> lanes = stackalloc float[8];
        lanes.Clear();
        int i = 0;
        for (; i + 8 <= q.Length; i += 8)
        {
            for (int j = 0; j < 8; j++)
            {
                float prod = q[i + j] * k[i + j];
                lanes[j] += prod;
            }
        }

        float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
        for (; i < q.Length; i++)
        {
            float prod = q[i] * k[i];
            sum += prod;
        }

        return sum;
    }

    /// <summary>One Q row of one K/V block in the flash kernel: mask, max, sum-exp, rescale of the running state.</summary>
    private static void OnlineSoftmaxRow(Span<float> p, int blockStart, int causalLimit, int window, ref float m, ref float l, Span<float> outRow)
    {
        int windowStart = window >= 0 ? (causalLimit > window ? causalLimit - window : 0) : 0;
        for (int j = 0; j < p.Length; j++)
        {
            int pos = blockStart + j;
            if (pos >= causalLimit || (window >= 0 && pos < windowStart))
            {
                p[j] = float.MinValue;
            }
        }

        float rowMax = float.MinValue;
        foreach (float v in p)
        {
            rowMax = rowMax > v ? rowMax : v;
        }

        if (rowMax == float.MinValue)
        {
            p.Clear();
            return;
        }

        float mOld = m;
        m = Math.Max(m, rowMax);
        float mDiff = mOld - m;
        float negMax = -m;
        Span<float> lanes = stackalloc float[16];
        lanes.Clear();
        for (int j = 0; j < p.Length; j++)
        {
            float e = MlasMath.SumExpTerm(p[j], negMax);
            p[j] = e;
            lanes[j & 15] += e;
        }

        float rowSum = SoftmaxKernel.LaneSum(lanes);
        if (blockStart != 0)
        {
            // std::exp on a float: glibc's expf, which MathF.Exp also calls on Linux.
            float expDiff = MathF.Exp(mDiff);
            float scaled = expDiff * l;
            l = scaled + rowSum;
            for (int c = 0; c < outRow.Length; c++)
            {
                outRow[c] *= expDiff;
            }
        }
        else
        {
            l = rowSum;
        }
    }

    /// <summary>The L2 cache size ORT reads from the OS (Env::GetL2CacheSize) and sizes flash-attention blocks by:
    /// 1 MiB, the per-core L2 of the AMD EPYC machine the goldens are made on. ORT's results depend on it once a
    /// sequence is longer than one K/V block (32768 / head_size positions here).</summary>
    public const int OrtL2CacheBytes = 1 << 20;

    /// <summary>kv_block_size = L2 / (4 bytes · 4 · 2·head_size), at least 1.</summary>
    private static int KvBlockSize(int headSize) => Math.Max(OrtL2CacheBytes / (sizeof(float) * 4 * (headSize + headSize)), 1);

    /// <summary>The first prompt (S equals the total length) has no past; otherwise the past is total − S.</summary>
    private static int PastLength(Geometry g, int total) => g.FirstPrompt ? 0 : total - g.Seq;

    /// <summary>One score row of the non-flash path: the causal span [0, causal), cut to its last window keys when
    /// local_window_size ≥ 0 and the span is longer, softcapped (tanhf) and soft-maxed; everything else in [0, total) is
    /// 0.</summary>
    private static void Softmax(Span<float> row, int causal, GroupQueryAttentionSpec spec)
    {
        bool windowed = spec.LocalWindowSize >= 0 && causal > spec.LocalWindowSize;
        int start = windowed ? causal - spec.LocalWindowSize : 0;
        row[..start].Clear();
        Span<float> span = row[start..causal];
        if (spec.Softcap > 0f)
        {
            // MlasComputeSoftcap<float>: divide, std::tanh (glibc tanhf, as MathF.Tanh), multiply back.
            for (int i = 0; i < span.Length; i++)
            {
                float v = span[i] / spec.Softcap;
                v = MathF.Tanh(v);
                span[i] = v * spec.Softcap;
            }
        }

        row[causal..].Clear();
        SoftmaxKernel.RowFloat(span);
    }

    private static void Concat(float[]? past, float[] fresh, float[] present, int head, int pastLength, Geometry g)
    {
        int h = g.HeadSize;
        if (past is not null && pastLength > 0)
        {
            Array.Copy(past, head * g.PastBufferLength * h, present, head * g.PresentLength * h, pastLength * h);
        }

        Array.Copy(fresh, head * g.Seq * h, present, ((head * g.PresentLength) + pastLength) * h, g.Seq * h);
    }

    private static void Rotate(float[] x, Geometry g, int heads, int[] totals, float[] cos, float[] sin, bool interleaved)
    {
        int h = g.HeadSize;
        int half = g.RotaryDim / 2;
        var row = new float[h];
        for (int b = 0; b < g.Batch; b++)
        {
            for (int n = 0; n < heads; n++)
            {
                for (int s = 0; s < g.Seq; s++)
                {
                    int pos = g.FirstPrompt ? (s < totals[b] ? s : 1) : (totals[b] - g.Seq + s < totals[b] ? totals[b] - g.Seq + s : 1);
                    if ((pos + 1) * half > cos.Length)
                    {
                        throw new ArgumentException($"GroupQueryAttention: position {pos} is past the cos/sin cache ({cos.Length / half} positions)");
                    }

                    Span<float> dst = x.AsSpan((((b * heads) + n) * g.Seq * h) + (s * h), h);
                    dst.CopyTo(row);
                    RotaryKernel.Row(row, cos.AsSpan(pos * half, half), sin.AsSpan(pos * half, half), g.RotaryDim, interleaved, dst);
                }
            }
        }
    }

    /// <summary>Heads [offset, offset + count) of a [B, S, heads·H] tensor as [B, count, S, H].</summary>
    private static float[] ToBnsh(float[] x, int batch, int seq, int heads, int h, int headOffset, int count)
    {
        var y = new float[batch * count * seq * h];
        for (int b = 0; b < batch; b++)
        {
            for (int n = 0; n < count; n++)
            {
                for (int s = 0; s < seq; s++)
                {
                    Array.Copy(x, (((b * seq) + s) * heads * h) + ((headOffset + n) * h), y, (((b * count) + n) * seq * h) + (s * h), h);
                }
            }
        }

        return y;
    }

    private sealed record Geometry(int Batch, int Seq, int HeadSize, int QHeads, int KvHeads, bool Packed, int PastBufferLength, int PresentLength, bool FirstPrompt, int RotaryDim, int TotalLength)
    {
        public int QkvHeads => Packed ? QHeads + (2 * KvHeads) : QHeads;

        public static Geometry Resolve(GroupQueryAttentionSpec spec, TensorValue query, TensorValue? key, TensorValue? value, TensorValue? pastKey, TensorValue? pastValue,
            TensorValue seqlensK, TensorValue totalSequenceLength, TensorValue? cosCache, TensorValue? sinCache)
        {
            if (spec.NumHeads <= 0 || spec.KvNumHeads <= 0 || spec.NumHeads % spec.KvNumHeads != 0)
            {
                throw new ArgumentException($"GroupQueryAttention: num_heads {spec.NumHeads} must be a positive multiple of kv_num_heads {spec.KvNumHeads}");
            }

            if (query.Type != DataType.Float || query.Rank != 3)
            {
                throw new ArgumentException($"GroupQueryAttention: query must be float [batch, sequence, hidden], got {query}");
            }

            int batch = query.Shape[0];
            int seq = query.Shape[1];
            bool packed = key is null;
            int headSize;
            if (packed)
            {
                int heads = spec.NumHeads + (2 * spec.KvNumHeads);
                if (value is not null || query.Shape[2] % heads != 0)
                {
                    throw new ArgumentException($"GroupQueryAttention: packed QKV {query.ShapeText} must split into {heads} heads, and value must then be absent");
                }

                headSize = query.Shape[2] / heads;
            }
            else
            {
                if (value is null || query.Shape[2] % spec.NumHeads != 0)
                {
                    throw new ArgumentException($"GroupQueryAttention: query {query.ShapeText} must split into {spec.NumHeads} heads, and key and value must both be given");
                }

                headSize = query.Shape[2] / spec.NumHeads;
                int[] kvShape = [batch, seq, spec.KvNumHeads * headSize];
                if (key!.Type != DataType.Float || value.Type != DataType.Float || !key!.Shape.SequenceEqual(kvShape) || !value.Shape.SequenceEqual(kvShape))
                {
                    throw new ArgumentException($"GroupQueryAttention: key {key} and value {value} must be float [{string.Join(", ", kvShape)}]");
                }
            }

            if (headSize % 16 != 0)
            {
                throw new ArgumentException($"GroupQueryAttention: head size {headSize} must be a multiple of 16 (as ORT's CPU kernel requires)");
            }

            int pastLength = 0;
            if (pastKey is not null || pastValue is not null)
            {
                if (pastKey is null || pastValue is null || pastKey.Type != DataType.Float || pastKey.Rank != 4 || !pastKey.Shape.SequenceEqual(pastValue.Shape)
                    || pastKey.Shape[0] != batch || pastKey.Shape[1] != spec.KvNumHeads || pastKey.Shape[3] != headSize)
                {
                    throw new ArgumentException($"GroupQueryAttention: past_key {pastKey} and past_value {pastValue} must both be float [{batch}, {spec.KvNumHeads}, past, {headSize}]");
                }

                pastLength = pastKey.Shape[2];
            }

            if (seqlensK.Type != DataType.Int32 || seqlensK.Length != batch || totalSequenceLength.Type != DataType.Int32 || totalSequenceLength.Length != 1)
            {
                throw new ArgumentException($"GroupQueryAttention: seqlens_k must be int32 [{batch}] and total_sequence_length an int32 scalar, got {seqlensK} and {totalSequenceLength}");
            }

            int totalLength = totalSequenceLength.Items<int>()[0];
            if (seq > 1 && pastLength > 0 && batch != 1)
            {
                throw new ArgumentException("GroupQueryAttention: batch size must be 1 when the sequence length is above 1 and a past is given");
            }

            int present = Math.Max(totalLength, pastLength);
            bool firstPrompt = seq == totalLength;
            foreach (int sk in seqlensK.Items<int>())
            {
                int total = sk + 1;
                int past = firstPrompt ? 0 : total - seq;
                if (total > present || past < 0 || (past > pastLength && pastKey is not null) || (pastKey is null && past > 0))
                {
                    throw new ArgumentException($"GroupQueryAttention: seqlens_k {sk} does not fit sequence {seq}, past {pastLength} and total {totalLength}");
                }
            }

            int rotaryDim = 0;
            if (spec.DoRotary)
            {
                if (cosCache is null || sinCache is null || cosCache.Type != DataType.Float || cosCache.Rank != 2 || !cosCache.Shape.SequenceEqual(sinCache.Shape))
                {
                    throw new ArgumentException("GroupQueryAttention: do_rotary needs float cos_cache and sin_cache of one shape [max_position, rotary_dim / 2]");
                }

                rotaryDim = cosCache.Shape[1] * 2;
                if (rotaryDim > headSize || rotaryDim == 0 || cosCache.Shape[1] % 8 != 0)
                {
                    throw new ArgumentException($"GroupQueryAttention: cos_cache {cosCache.ShapeText} dimension 1 must be at most head size / 2 ({headSize / 2}) and a multiple of 8");
                }
            }

            return new Geometry(batch, seq, headSize, spec.NumHeads, spec.KvNumHeads, packed, pastLength, present, firstPrompt, rotaryDim, totalLength);
        }
    }
}
