using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// One forward pass of a decoder as work for the accelerator: <see cref="NewTokens"/> tokens of each of
/// <see cref="Batch"/> sequences after <see cref="PastTokens"/> cached ones. Prefill is a pass with no past; a decode
/// step is a pass of one token. <see cref="Layers"/> lists the layers in execution order, wired by the tensors they
/// read and write so the network memory plan places them:
/// <list type="bullet">
/// <item>the residual stream in fp16 between blocks; RMSNorm on the vector unit writes the matrix input in the format's
/// activation type;</item>
/// <item>q, k, v, o, gate, up and down projections on the array with the weights as stored (block scales are read beside
/// them as constants); rotary embedding and the KV quantizer run in the k/v projections' epilogues;</item>
/// <item>attention as grouped-query matmuls (the query heads sharing a key/value head stack into M, so each cached key
/// is fetched once per group): scores and probabilities are <see cref="TensorUse.Transient"/>, computed tile by tile as
/// fused attention kernels do, never stored; softmax runs on the vector unit;</item>
/// <item>the KV cache lives in DRAM between steps: a decode step reads the whole cache (the new row counted with it) and
/// writes the new rows; prefill's attention reads the keys and values it just computed and writes them all to the
/// cache;</item>
/// <item>logits only for each sequence's last token (what generation samples from).</item>
/// </list>
/// </summary>
public sealed record DecoderPass
{
    public required DecoderShape Shape { get; init; }

    public required int Batch { get; init; }

    public required int NewTokens { get; init; }

    public required int PastTokens { get; init; }

    public required LlmWeightFormat Weights { get; init; }

    public required KvCacheFormat Kv { get; init; }

    /// <summary>Tokens attended to by the last new token: past plus new.</summary>
    public int TotalTokens => PastTokens + NewTokens;

    /// <summary>Bytes of the KV cache after this pass (keys and values of every layer).</summary>
    public long KvCacheBytes => Shape.Layers * 2L * LlmFormats.Kv(Kv).Bytes((long)Batch * Shape.KvHeads * TotalTokens * Shape.HeadDim);

    /// <summary>Bytes of every weight the pass reads (each projection once, the embedding rows it gathers).</summary>
    public long WeightBytes => Layers.SelectMany(l => l.Reads).Where(r => r.Origin == TensorOrigin.Constant).DistinctBy(r => r.Name).Sum(r => r.Bytes);

    public ImmutableArray<LayerWork> Layers => Build();

    private ImmutableArray<LayerWork> Build()
    {
        var layers = ImmutableArray.CreateBuilder<LayerWork>();
        DecoderShape s = Shape;
        StoredLlmFormat w = LlmFormats.Weights(Weights), act = LlmFormats.Activations(Weights), kv = LlmFormats.Kv(Kv);
        var fp16 = new StoredLlmFormat(DataType.Float16, 0, 1);
        long rows = (long)Batch * NewTokens;
        int h = s.HiddenSize, q = s.Heads * s.HeadDim, kvWidth = s.KvHeads * s.HeadDim;
        bool decode = PastTokens > 0;

        string residual = "embed.out";
        layers.Add(Vector("embed", "Gather", VectorOpClass.DataMovement, rows * h,
            [new TensorUse("embed.rows", fp16.Bytes(rows * h), TensorOrigin.Constant), new TensorUse("input_ids", rows * 8, TensorOrigin.GraphInput)],
            [new TensorUse(residual, fp16.Bytes(rows * h), TensorOrigin.Activation)]));

        for (int n = 0; n < s.Layers; n++)
        {
            string p = "L" + n.ToString(CultureInfo.InvariantCulture) + ".";
            layers.Add(Vector(p + "attn_norm", "SimplifiedLayerNormalization", VectorOpClass.Normalization, rows * h,
                [Act(residual, fp16, rows * h), Const(p + "attn_norm.weight", fp16.Bytes(h))], [Act(p + "attn_in", act, rows * h)]));
            layers.Add(Projection(p + "q_proj", p + "attn_in", p + "q", rows, h, q, w, act, fp16));
            layers.Add(Vector(p + "q_rotary", "RotaryEmbedding", VectorOpClass.Elementwise, rows * q, [Act(p + "q", fp16, rows * q)], [Act(p + "q_rot", kv, rows * q)]));
            layers.Add(Projection(p + "k_proj", p + "attn_in", p + "k", rows, h, kvWidth, w, act, fp16));
            layers.Add(Vector(p + "k_rotary", "RotaryEmbedding", VectorOpClass.Elementwise, rows * kvWidth, [Act(p + "k", fp16, rows * kvWidth)], [Act(p + "k_new", kv, rows * kvWidth, output: true)]));
            layers.Add(Projection(p + "v_proj", p + "attn_in", p + "v", rows, h, kvWidth, w, act, fp16));
            layers.Add(Vector(p + "v_quant", "QuantizeLinear", VectorOpClass.Quantize, rows * kvWidth, [Act(p + "v", fp16, rows * kvWidth)], [Act(p + "v_new", kv, rows * kvWidth, output: true)]));

            // Attention per (sequence, key/value head): the group's query heads stack into M.
            int groups = Batch * s.KvHeads;
            long m = (long)NewTokens * s.GroupSize;
            long cacheElements = (long)groups * TotalTokens * s.HeadDim;
            TensorUse keys = decode ? new TensorUse(p + "past_key", kv.Bytes(cacheElements), TensorOrigin.GraphInput) : Act(p + "k_new", kv, cacheElements);
            TensorUse values = decode ? new TensorUse(p + "past_value", kv.Bytes(cacheElements), TensorOrigin.GraphInput) : Act(p + "v_new", kv, cacheElements);
            long scores = groups * m * TotalTokens;
            layers.Add(new MatrixLayer
            {
                Name = p + "attn_qk",
                OpType = "GroupQueryAttention.QK",
                Gemm = new GemmShape(m, TotalTokens, s.HeadDim),
                Groups = groups,
                InputType = kv.Element,
                WeightType = kv.Element,
                OutputType = DataType.Float,
                InputScales = kv.Scales,
                WeightScales = kv.Scales,
                WeightIsConstant = false,
                InputBytes = kv.Bytes(rows * q),
                WeightBytes = keys.Bytes,
                OutputBytes = scores * 4,
                InputTensor = p + "q_rot",
                WeightTensor = keys.Name,
                Reads = [Act(p + "q_rot", kv, rows * q), keys],
                Writes = [new TensorUse(p + "scores", scores * 4, TensorOrigin.Activation, Transient: true)],
            });
            layers.Add(Vector(p + "softmax", "Softmax", VectorOpClass.Transcendental, scores,
                [new TensorUse(p + "scores", scores * 4, TensorOrigin.Activation)], [new TensorUse(p + "probs", kv.Bytes(scores), TensorOrigin.Activation, Transient: true)]));
            layers.Add(new MatrixLayer
            {
                Name = p + "attn_pv",
                OpType = "GroupQueryAttention.PV",
                Gemm = new GemmShape(m, s.HeadDim, TotalTokens),
                Groups = groups,
                InputType = kv.Element,
                WeightType = kv.Element,
                OutputType = act.Element,
                InputScales = kv.Scales,
                WeightScales = kv.Scales,
                OutputScales = act.Scales,
                WeightIsConstant = false,
                InputBytes = kv.Bytes(scores),
                WeightBytes = values.Bytes,
                OutputBytes = act.Bytes(rows * q),
                InputTensor = p + "probs",
                WeightTensor = values.Name,
                Reads = [new TensorUse(p + "probs", kv.Bytes(scores), TensorOrigin.Activation), values],
                Writes = [Act(p + "attn_out", act, rows * q)],
            });
            layers.Add(Projection(p + "o_proj", p + "attn_out", p + "o", rows, q, h, w, act, fp16));
            string mid = p + "residual1";
            layers.Add(Vector(p + "add1", "Add", VectorOpClass.Elementwise, rows * h, [Act(p + "o", fp16, rows * h), Act(residual, fp16, rows * h)], [Act(mid, fp16, rows * h)]));
            layers.Add(Vector(p + "mlp_norm", "SimplifiedLayerNormalization", VectorOpClass.Normalization, rows * h,
                [Act(mid, fp16, rows * h), Const(p + "mlp_norm.weight", fp16.Bytes(h))], [Act(p + "mlp_in", act, rows * h)]));
            long ff = rows * s.IntermediateSize;
            layers.Add(Projection(p + "gate_proj", p + "mlp_in", p + "gate", rows, h, s.IntermediateSize, w, act, fp16));
            layers.Add(Projection(p + "up_proj", p + "mlp_in", p + "up", rows, h, s.IntermediateSize, w, act, fp16));
            layers.Add(Vector(p + "silu_mul", "QuickGelu.Mul", VectorOpClass.Transcendental, ff, [Act(p + "gate", fp16, ff), Act(p + "up", fp16, ff)], [Act(p + "mlp_act", act, ff)]));
            layers.Add(Projection(p + "down_proj", p + "mlp_act", p + "down", rows, s.IntermediateSize, h, w, act, fp16));
            string next = p + "residual2";
            layers.Add(Vector(p + "add2", "Add", VectorOpClass.Elementwise, rows * h, [Act(p + "down", fp16, rows * h), Act(mid, fp16, rows * h)], [Act(next, fp16, rows * h)]));
            residual = next;
        }

        // Generation samples from each sequence's last token only.
        long last = Batch;
        layers.Add(Vector("final_norm", "SimplifiedLayerNormalization", VectorOpClass.Normalization, last * h,
            [Act(residual, fp16, rows * h), Const("final_norm.weight", fp16.Bytes(h))], [Act("final_out", act, last * h)]));
        layers.Add(Projection("lm_head", "final_out", "logits", last, h, s.VocabSize, w, act, new StoredLlmFormat(DataType.Float, 0, 1), graphOutput: true,
            weightName: s.TiedEmbeddings ? "embed.weight" : "lm_head.weight"));
        return layers.ToImmutable();
    }

    private static TensorUse Act(string name, StoredLlmFormat format, long elements, bool output = false) =>
        new(name, format.Bytes(elements), TensorOrigin.Activation, output);

    private static TensorUse Const(string name, long bytes) => new(name, bytes, TensorOrigin.Constant);

    private static VectorLayer Vector(string name, string op, VectorOpClass opClass, long elements, ImmutableArray<TensorUse> reads, ImmutableArray<TensorUse> writes) => new()
    {
        Name = name,
        OpType = op,
        OpClass = opClass,
        Elements = elements,
        InputBytes = reads.Where(r => r.Origin != TensorOrigin.Constant).Sum(r => r.Bytes),
        OutputBytes = writes.Sum(o => o.Bytes),
        Reads = reads,
        Writes = writes,
    };

    /// <summary>A projection x[rows, k] W[k, n]: the weight tensor named after the layer, with its block scales, which
    /// stream with its tiles.</summary>
    private static MatrixLayer Projection(string name, string input, string output, long rows, long k, long n, StoredLlmFormat w, StoredLlmFormat act, StoredLlmFormat outFormat, bool graphOutput = false, string? weightName = null)
    {
        string weight = weightName ?? name + ".weight";
        long elements = k * n;
        var reads = ImmutableArray.CreateBuilder<TensorUse>();
        reads.Add(new TensorUse(input, act.Bytes(rows * k), TensorOrigin.Activation));
        reads.Add(new TensorUse(weight, w.Bytes(elements), TensorOrigin.Constant));

        return new MatrixLayer
        {
            Name = name,
            OpType = "MatMul",
            Gemm = new GemmShape(rows, n, k),
            InputType = act.Element,
            WeightType = w.Element,
            OutputType = outFormat.Element,
            InputScales = act.Scales,
            WeightScales = w.Scales,
            OutputScales = outFormat.Scales,
            InputBytes = act.Bytes(rows * k),
            WeightBytes = w.Bytes(elements),
            OutputBytes = outFormat.Bytes(rows * n),
            InputTensor = input,
            WeightTensor = weight,
            Reads = reads.ToImmutable(),
            Writes = [new TensorUse(output, outFormat.Bytes(rows * n), TensorOrigin.Activation, graphOutput)],
        };
    }
}
