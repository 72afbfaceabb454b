namespace SiliconSim.Simulation.Llm;

/// <summary>
/// The shape of a decoder-only transformer (Llama, Mistral, Qwen2, Phi-3, Gemma): what timing a generation needs, and
/// no weights. Every block is pre-norm attention with grouped-query heads and rotary positions, then a gated MLP.
/// </summary>
public sealed record DecoderShape
{
    /// <summary>The family as its config names it (e.g. LlamaForCausalLM), for reports.</summary>
    public required string Architecture { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int Layers { get; init; }

    /// <summary>Query heads.</summary>
    public required int Heads { get; init; }

    /// <summary>Key/value heads; <see cref="Heads"/> is a multiple of it (grouped-query attention).</summary>
    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    public required int VocabSize { get; init; }

    /// <summary>Whether the output projection is the embedding table transposed (one tensor in DRAM, read by both).</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>The longest sequence the model was trained for (prompt plus generated tokens must fit).</summary>
    public int MaxPositions { get; init; } = int.MaxValue;

    /// <summary>Query heads per key/value head.</summary>
    public int GroupSize => Heads / KvHeads;

    /// <summary>Weights of the whole model (embedding, blocks, final norm, output projection unless tied).</summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)Heads * HeadDim, kv = (long)KvHeads * HeadDim;
            long block = (h * q) + (2 * h * kv) + (q * h) + (3 * h * IntermediateSize) + (2 * h);
            long embedding = (long)VocabSize * h;
            return (Layers * block) + h + embedding + (TiedEmbeddings ? 0 : embedding);
        }
    }

    /// <summary>The first field that makes no model, as "field: problem", or null when the shape is usable.</summary>
    public string? Problem()
    {
        foreach ((string name, long value) in new (string, long)[]
        {
            ("hidden_size", HiddenSize), ("intermediate_size", IntermediateSize), ("num_hidden_layers", Layers),
            ("num_attention_heads", Heads), ("num_key_value_heads", KvHeads), ("head_dim", HeadDim), ("vocab_size", VocabSize),
        })
        {
            if (value <= 0)
            {
                return $"{name}: must be a positive integer, got {value}";
            }
        }

        // Bounds far past any published decoder (the largest open models have hidden sizes near 2^14, vocabularies near
        // 2^18 and a few hundred layers), so a corrupt config is refused instead of sizing tensors past memory.
        foreach ((string name, long value, long max) in new (string, long, long)[]
        {
            ("hidden_size", HiddenSize, 1 << 17), ("intermediate_size", IntermediateSize, 1 << 19), ("num_hidden_layers", Layers, 4096),
            ("num_attention_heads", Heads, 4096), ("head_dim", HeadDim, 4096), ("vocab_size", VocabSize, 1 << 22),
        })
        {
            if (value > max)
            {
                return $"{name}: {value} is beyond any decoder SiliconSim times (at most {max})";
            }
        }

        return Heads % KvHeads != 0
            ? $"num_key_value_heads: {KvHeads} does not divide num_attention_heads {Heads}"
            : (long)Heads * HeadDim > 1 << 20 ? $"num_attention_heads x head_dim: {(long)Heads * HeadDim} is beyond any decoder SiliconSim times (at most {1 << 20})"
            : null;
    }
}
