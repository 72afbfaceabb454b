using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>How a <see cref="DecoderBuilder"/> model stores its projection weights.</summary>
public enum DecoderWeights
{
    /// <summary>fp32 MatMul with [in, out] initializers.</summary>
    Float32,

    /// <summary>com.microsoft MatMulNBits, 4-bit, uint8 zero points, accuracy_level 0 (fp32 compute).</summary>
    Int4Accuracy0,

    /// <summary>MatMulNBits 4-bit at accuracy_level 4 (int8 compute with A quantized per block).</summary>
    Int4Accuracy4,

    /// <summary>MatMulNBits 8-bit, uint8 zero points, accuracy_level 0.</summary>
    Int8Accuracy0,

    /// <summary>MatMulNBits 8-bit at accuracy_level 4 (int8 compute with A quantized per block).</summary>
    Int8Accuracy4,

    /// <summary>A QDQ weight-only export: DequantizeLinear of [in, out] int4 weights blocked along K (axis 0, int4 zero
    /// points) feeding a float MatMul on every projection; ORT rewrites each into MatMulNBits at accuracy_level 4.</summary>
    QdqInt4,
}

/// <summary>
/// A small Llama-style decoder wired node for node the way ONNX Runtime GenAI's model builder writes a CPU model
/// (builder.py, ep "cpu"): inputs input_ids [batch, sequence] int64, attention_mask [batch, total] int64 and
/// past_key_values.N.key/value [batch, kv_heads, past, head] fp32; outputs logits and present.N.key/value. The graph:
/// Gather embedding; attention-mask reformatting for GQA (ReduceSum − 1 → Cast int32 as seqlens_k, Shape → Gather(1) →
/// Cast int32 as total_sequence_length); per layer an RMSNorm (SimplifiedLayerNormalization for layer 0, then
/// SkipSimplifiedLayerNormalization carrying the residual), a packed QKV projection, GroupQueryAttention with do_rotary
/// and cos/sin caches (GQA 2:1), the output projection, SkipSimplifiedLayerNormalization, and a SiLU-gated MLP (gate →
/// Sigmoid → Mul, times up, down); then the final SkipSimplifiedLayerNormalization and lm_head. Projections are fp32
/// MatMul or MatMulNBits (<see cref="DecoderWeights"/>), quantized from the same seeded fp32 weights: per block of
/// <see cref="BlockSize"/> along K, scale = (max − min) / (2^bits − 1) over the block with 0 included and the zero point
/// round(−min / scale), as the builder's MatMul4BitsQuantizer does asymmetrically.
/// </summary>
public sealed class DecoderBuilder
{
    public const int Hidden = 64;
    public const int Heads = 4;
    public const int KvHeads = 2;
    public const int HeadSize = Hidden / Heads;
    public const int Intermediate = 128;
    public const int Vocab = 96;
    public const int Layers = 2;
    public const int MaxPositions = 64;
    public const int BlockSize = 32;
    public const float Epsilon = 1e-6f;
    public const int DefaultSeed = 20261207;

    private readonly GraphProto _graph = new() { Name = "main_graph" };
    private readonly ModelProto _model;
    private readonly SeededTensors _tensors;
    private readonly DecoderWeights _weights;
    private int _constants;

    private DecoderBuilder(int seed, DecoderWeights weights)
    {
        _tensors = new SeededTensors(seed);
        _weights = weights;
        _model = new ModelProto { IrVersion = 8, ProducerName = "onnxruntime-genai", ProducerVersion = "0.x", Graph = _graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 21 });
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
    }

    /// <summary>The decoder's model with weights drawn from <paramref name="seed"/>.</summary>
    public static ModelProto Build(DecoderWeights weights, int seed = DefaultSeed)
    {
        var b = new DecoderBuilder(seed, weights);
        b.BuildGraph();
        return b._model;
    }

    /// <summary>The feeds of one step: <paramref name="sequence"/> new tokens after <paramref name="past"/> cached ones
    /// (seeded token ids, an all-ones mask, and seeded past keys and values of that length).</summary>
    public static List<(string Name, TensorValue Value)> Feeds(int batch, int sequence, int past, int seed)
    {
        var r = new Random(seed);
        var ids = new long[batch * sequence];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = r.Next(Vocab);
        }

        var feeds = new List<(string, TensorValue)>
        {
            ("input_ids", TensorValue.Create(DataType.Int64, [batch, sequence], ids)),
            ("attention_mask", TensorValue.Create(DataType.Int64, [batch, past + sequence], Enumerable.Repeat(1L, batch * (past + sequence)).ToArray())),
        };
        var cache = new SeededTensors(seed + 1);
        for (int l = 0; l < Layers; l++)
        {
            feeds.Add(($"past_key_values.{l}.key", cache.Normal(1f, batch, KvHeads, past, HeadSize)));
            feeds.Add(($"past_key_values.{l}.value", cache.Normal(1f, batch, KvHeads, past, HeadSize)));
        }

        return feeds;
    }

    private void BuildGraph()
    {
        Input("input_ids", DataType.Int64, Sym("batch_size"), Sym("sequence_length"));
        Input("attention_mask", DataType.Int64, Sym("batch_size"), Sym("total_sequence_length"));
        for (int l = 0; l < Layers; l++)
        {
            Input($"past_key_values.{l}.key", DataType.Float, Sym("batch_size"), Fixed(KvHeads), Sym("past_sequence_length"), Fixed(HeadSize));
            Input($"past_key_values.{l}.value", DataType.Float, Sym("batch_size"), Fixed(KvHeads), Sym("past_sequence_length"), Fixed(HeadSize));
        }

        string embeddings = Node("Gather", "/model/embed_tokens/Gather", [Init("model.embed_tokens.weight", _tensors.Normal(1f, Vocab, Hidden)), "input_ids"]);

        // builder.py make_attention_mask_reformatting_for_gqa.
        string sum = Node("ReduceSum", "/model/attn_mask_reformat/attn_mask_subgraph/ReduceSum", ["attention_mask", Const(TensorValue.Create(DataType.Int64, [1], new long[] { 1 }))], ("keepdims", 0L));
        string sub = Node("Sub", "/model/attn_mask_reformat/attn_mask_subgraph/Sub", [sum, Const(TensorValue.Create(DataType.Int64, [1], new long[] { 1 }))]);
        string seqlens = Node("Cast", "/model/attn_mask_reformat/attn_mask_subgraph/Sub/Cast", [sub], ("to", (long)DataType.Int32));
        string shape = Node("Shape", "/model/attn_mask_reformat/attn_mask_subgraph/Shape", ["attention_mask"]);
        string gather = Node("Gather", "/model/attn_mask_reformat/attn_mask_subgraph/Gather", [shape, Const(TensorValue.Scalar(DataType.Int64, 1L))], ("axis", 0L));
        string total = Node("Cast", "/model/attn_mask_reformat/attn_mask_subgraph/Gather/Cast", [gather], ("to", (long)DataType.Int32));
        (string cos, string sin) = RotaryCaches();

        string residual = embeddings;
        string normed = Node("SimplifiedLayerNormalization", "/model/layers.0/input_layernorm/LayerNorm", [embeddings, Init("model.layers.0.input_layernorm.weight", Gamma())], ("axis", -1L), ("epsilon", Epsilon), ("stash_type", 1L));
        for (int l = 0; l < Layers; l++)
        {
            string p = $"/model/layers.{l}";
            if (l > 0)
            {
                (normed, residual) = SkipNorm(normed, residual, $"{p}/input_layernorm", $"model.layers.{l}.input_layernorm.weight");
            }

            string qkv = Projection(normed, $"{p}/attn/qkv_proj", $"model.layers.{l}.attn.qkv_proj", Hidden, (Heads + (2 * KvHeads)) * HeadSize);
            string attn = Node("GroupQueryAttention", $"{p}/attn/GroupQueryAttention",
                [qkv, string.Empty, string.Empty, $"past_key_values.{l}.key", $"past_key_values.{l}.value", seqlens, total, cos, sin],
                [$"{p}/attn/GroupQueryAttention/output_0", $"present.{l}.key", $"present.{l}.value"], "com.microsoft",
                ("num_heads", (long)Heads), ("kv_num_heads", (long)KvHeads), ("scale", 1f / MathF.Sqrt(HeadSize)), ("local_window_size", -1L),
                ("do_rotary", 1L), ("rotary_interleaved", 0L));
            string o = Projection(attn, $"{p}/attn/o_proj", $"model.layers.{l}.attn.o_proj", Heads * HeadSize, Hidden);
            (normed, residual) = SkipNorm(o, residual, $"{p}/post_attention_layernorm", $"model.layers.{l}.post_attention_layernorm.weight");

            string gate = Projection(normed, $"{p}/mlp/gate_proj", $"model.layers.{l}.mlp.gate_proj", Hidden, Intermediate);
            string up = Projection(normed, $"{p}/mlp/up_proj", $"model.layers.{l}.mlp.up_proj", Hidden, Intermediate);
            string sigmoid = Node("Sigmoid", $"{p}/mlp/act_fn/Sigmoid", [gate]);
            string silu = Node("Mul", $"{p}/mlp/act_fn/Mul", [gate, sigmoid]);
            string gated = Node("Mul", $"{p}/mlp/Mul", [silu, up]);
            normed = Projection(gated, $"{p}/mlp/down_proj", $"model.layers.{l}.mlp.down_proj", Intermediate, Hidden);
        }

        (string final, _) = SkipNorm(normed, residual, $"/model/layers.{Layers}/final_norm_layernorm", "model.norm.weight");
        string logits = Projection(final, "/lm_head", "lm_head", Hidden, Vocab, output: "logits");
        Output(logits, DataType.Float);
        for (int l = 0; l < Layers; l++)
        {
            Output($"present.{l}.key", DataType.Float);
            Output($"present.{l}.value", DataType.Float);
        }
    }

    private (string Normed, string Residual) SkipNorm(string x, string skip, string p, string weight)
    {
        string normed = $"{p}/output_0";
        string residual = $"{p}/output_3";
        Node("SkipSimplifiedLayerNormalization", $"{p}/SkipLayerNorm", [x, skip, Init(weight, Gamma())], [normed, string.Empty, string.Empty, residual], "com.microsoft", ("epsilon", Epsilon));
        return (normed, residual);
    }

    /// <summary>x·W for W [in, out]: a MatMul, or MatMulNBits with W quantized per block of K.</summary>
    private string Projection(string x, string p, string param, int inFeatures, int outFeatures, string? output = null)
    {
        TensorValue w = _tensors.Normal(1f / MathF.Sqrt(inFeatures), inFeatures, outFeatures);
        string y = output ?? $"{p}/output_0";
        if (_weights == DecoderWeights.Float32)
        {
            Node("MatMul", $"{p}/MatMul", [x, Init($"{param}.weight", w)], [y]);
            return y;
        }

        if (_weights == DecoderWeights.QdqInt4)
        {
            var (q, s, z) = QuantizeForDequantize(w.Items<float>(), inFeatures, outFeatures);
            string wd = $"{p}/weight_dq";
            Node("DequantizeLinear", $"{p}/DequantizeLinear",
                [Init($"{param}.weight_q", q), Init($"{param}.weight_scale", s), Init($"{param}.weight_zp", z)], [wd], string.Empty,
                ("axis", 0L), ("block_size", (long)BlockSize));
            Node("MatMul", $"{p}/MatMul", [x, wd], [y]);
            return y;
        }

        int bits = _weights is DecoderWeights.Int8Accuracy0 or DecoderWeights.Int8Accuracy4 ? 8 : 4;
        long accuracy = _weights is DecoderWeights.Int4Accuracy4 or DecoderWeights.Int8Accuracy4 ? 4 : 0;
        var (codes, scales, zeroPoints) = Quantize(w.Items<float>(), inFeatures, outFeatures, bits);
        Node("MatMulNBits", $"{p}/MatMulNBits",
            [x, Init($"{param}.weight_Q{bits}", codes), Init($"{param}.weight_scales", scales), Init($"{param}.weight_zero_points", zeroPoints)], [y], "com.microsoft",
            ("K", (long)inFeatures), ("N", (long)outFeatures), ("bits", (long)bits), ("block_size", (long)BlockSize), ("accuracy_level", accuracy));
        return y;
    }

    /// <summary>Asymmetric blockwise quantization of W [k, n] into MatMulNBits' B [n, blocks, blob], scales [n·blocks]
    /// and packed uint8 zero points.</summary>
    private static (TensorValue Codes, TensorValue Scales, TensorValue ZeroPoints) Quantize(float[] w, int k, int n, int bits)
    {
        int blocks = (k + BlockSize - 1) / BlockSize;
        int blob = BlockSize * bits / 8;
        int levels = (1 << bits) - 1;
        int zpRow = ((blocks * bits) + 7) / 8;
        var codes = new byte[n * blocks * blob];
        var scales = new float[n * blocks];
        var zps = new byte[n * zpRow];
        for (int col = 0; col < n; col++)
        {
            for (int blk = 0; blk < blocks; blk++)
            {
                float min = 0f;
                float max = 0f;
                for (int i = blk * BlockSize; i < Math.Min(k, (blk + 1) * BlockSize); i++)
                {
                    min = Math.Min(min, w[(i * n) + col]);
                    max = Math.Max(max, w[(i * n) + col]);
                }

                float scale = max > min ? (max - min) / levels : 1f;
                int zp = Math.Clamp((int)MathF.Round(-min / scale), 0, levels);
                scales[(col * blocks) + blk] = scale;
                if (bits == 8)
                {
                    zps[(col * zpRow) + blk] = (byte)zp;
                }
                else
                {
                    zps[(col * zpRow) + (blk / 2)] |= (byte)((blk & 1) == 0 ? zp : zp << 4);
                }

                for (int i = 0; i < BlockSize && (blk * BlockSize) + i < k; i++)
                {
                    int q = Math.Clamp((int)MathF.Round(w[(((blk * BlockSize) + i) * n) + col] / scale) + zp, 0, levels);
                    int at = (((col * blocks) + blk) * blob) + (i * bits / 8);
                    codes[at] |= (byte)(bits == 8 || (i & 1) == 0 ? q : q << 4);
                }
            }
        }

        return (TensorValue.Create(DataType.UInt8, [n, blocks, blob], codes), TensorValue.FromFloats([n * blocks], scales), TensorValue.Create(DataType.UInt8, [n * zpRow], zps));
    }

    /// <summary>The same asymmetric 4-bit blocks as <see cref="Quantize"/>, stored for a blocked DequantizeLinear: int4
    /// codes [k, n], scales [blocks, n] and int4 zero points [blocks, n], codes and zero points shifted down by 8.</summary>
    private static (TensorValue Codes, TensorValue Scales, TensorValue ZeroPoints) QuantizeForDequantize(float[] w, int k, int n)
    {
        const int Levels = 15;
        const int Shift = 8;
        int blocks = (k + BlockSize - 1) / BlockSize;
        var codes = new sbyte[k * n];
        var scales = new float[blocks * n];
        var zps = new sbyte[blocks * n];
        for (int col = 0; col < n; col++)
        {
            for (int blk = 0; blk < blocks; blk++)
            {
                int end = Math.Min(k, (blk + 1) * BlockSize);
                float min = 0f;
                float max = 0f;
                for (int i = blk * BlockSize; i < end; i++)
                {
                    min = Math.Min(min, w[(i * n) + col]);
                    max = Math.Max(max, w[(i * n) + col]);
                }

                float scale = max > min ? (max - min) / Levels : 1f;
                int zp = Math.Clamp((int)MathF.Round(-min / scale), 0, Levels);
                scales[(blk * n) + col] = scale;
                zps[(blk * n) + col] = (sbyte)(zp - Shift);
                for (int i = blk * BlockSize; i < end; i++)
                {
                    codes[(i * n) + col] = (sbyte)(Math.Clamp((int)MathF.Round(w[(i * n) + col] / scale) + zp, 0, Levels) - Shift);
                }
            }
        }

        return (TensorValue.Create(DataType.Int4, [k, n], codes), TensorValue.FromFloats([blocks, n], scales), TensorValue.Create(DataType.Int4, [blocks, n], zps));
    }

    /// <summary>cos_cache and sin_cache [MaxPositions, HeadSize / 2] with θ = 10000, computed in double as the
    /// builder's numpy code does, then stored as fp32.</summary>
    private (string Cos, string Sin) RotaryCaches()
    {
        int half = HeadSize / 2;
        var c = new float[MaxPositions * half];
        var s = new float[MaxPositions * half];
        for (int pos = 0; pos < MaxPositions; pos++)
        {
            for (int i = 0; i < half; i++)
            {
                double angle = pos / Math.Pow(10000.0, 2.0 * i / HeadSize);
                c[(pos * half) + i] = (float)Math.Cos(angle);
                s[(pos * half) + i] = (float)Math.Sin(angle);
            }
        }

        return (Init("cos_cache", TensorValue.FromFloats([MaxPositions, half], c)), Init("sin_cache", TensorValue.FromFloats([MaxPositions, half], s)));
    }

    private TensorValue Gamma() => _tensors.Uniform(0.8f, 1.2f, Hidden);

    private string Init(string name, TensorValue value)
    {
        _graph.Initializer.Add(TensorProtos.ToProto(name, value));
        return name;
    }

    private string Const(TensorValue value)
    {
        string output = $"/model/constants/Constant_{_constants}";
        var node = new NodeProto { OpType = "Constant", Name = $"/model/constants/Constant_{_constants++}_node" };
        node.Output.Add(output);
        node.Attribute.Add(OnnxBuilder.Attribute("value", value));
        _graph.Node.Add(node);
        return output;
    }

    private string Node(string op, string name, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(op, name, inputs, [$"{name}/output_0"], string.Empty, attributes);

    private string Node(string op, string name, string[] inputs, string[] outputs, string domain = "", params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach ((string attr, object value) in attributes)
        {
            node.Attribute.Add(OnnxBuilder.Attribute(attr, value));
        }

        _graph.Node.Add(node);
        return outputs[0];
    }

    private void Input(string name, DataType type, params TensorShapeProto.Types.Dimension[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    private void Output(string name, DataType type) => _graph.Output.Add(new ValueInfoProto
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } },
    });

    private static TensorShapeProto.Types.Dimension Sym(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Fixed(int value) => new() { DimValue = value };

    private static ValueInfoProto ValueInfo(string name, DataType type, TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    /// <summary>The model's bytes, for ORT.</summary>
    public static byte[] ToBytes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToByteArray();
    }
}
