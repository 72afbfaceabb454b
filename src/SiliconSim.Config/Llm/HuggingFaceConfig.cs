using System.Globalization;
using System.Text.Json;
using SiliconSim.Simulation.Llm;

namespace SiliconSim.Config.Llm;

/// <summary>
/// Reads the decoder shape from a Hugging Face <c>config.json</c> (transformers' PretrainedConfig) for the families whose
/// blocks are pre-norm grouped-query attention with rotary positions and a gated MLP: Llama, Mistral, Qwen2, Phi-3 and
/// Gemma. Fields and defaults as transformers defines them: <c>num_key_value_heads</c> defaults to
/// <c>num_attention_heads</c>, <c>head_dim</c> to <c>hidden_size / num_attention_heads</c>, and
/// <c>tie_word_embeddings</c> to false except for Gemma (true).
/// </summary>
public static class HuggingFaceConfig
{
    /// <summary>The model_type values read, with the family's default for tied embeddings.</summary>
    private static readonly Dictionary<string, bool> s_families = new(StringComparer.Ordinal)
    {
        ["llama"] = false,
        ["mistral"] = false,
        ["qwen2"] = false,
        ["phi3"] = false,
        ["gemma"] = true,
        ["gemma2"] = true,
    };

    /// <summary>Parses <paramref name="json"/>.</summary>
    /// <exception cref="HuggingFaceConfigException">not JSON, an unsupported model_type, or a field missing or invalid
    /// (the message names it).</exception>
    public static DecoderShape Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new HuggingFaceConfigException($"not valid JSON: {e.Message}");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HuggingFaceConfigException($"not a config object: the top level is a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
            }

            string modelType = Text(root, "model_type") ?? throw new HuggingFaceConfigException("model_type: missing (is this a Hugging Face config.json?)");
            if (!s_families.TryGetValue(modelType, out bool tiedByDefault))
            {
                throw new HuggingFaceConfigException($"model_type: '{modelType}' is not a decoder SiliconSim times; supported: {string.Join(", ", s_families.Keys)}");
            }

            int hidden = Int(root, "hidden_size") ?? throw Missing("hidden_size");
            int heads = Int(root, "num_attention_heads") ?? throw Missing("num_attention_heads");
            if (heads <= 0)
            {
                throw new HuggingFaceConfigException($"num_attention_heads: must be a positive integer, got {heads}");
            }

            var shape = new DecoderShape
            {
                Architecture = root.TryGetProperty("architectures", out JsonElement a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.String
                    ? a[0].GetString()! : modelType,
                HiddenSize = hidden,
                IntermediateSize = Int(root, "intermediate_size") ?? throw Missing("intermediate_size"),
                Layers = Int(root, "num_hidden_layers") ?? throw Missing("num_hidden_layers"),
                Heads = heads,
                KvHeads = Int(root, "num_key_value_heads") ?? heads,
                HeadDim = Int(root, "head_dim") ?? (hidden % heads == 0 ? hidden / heads : throw new HuggingFaceConfigException($"head_dim: missing, and hidden_size {hidden} is not a multiple of num_attention_heads {heads}")),
                VocabSize = Int(root, "vocab_size") ?? throw Missing("vocab_size"),
                TiedEmbeddings = Bool(root, "tie_word_embeddings") ?? tiedByDefault,
                MaxPositions = Int(root, "max_position_embeddings") ?? int.MaxValue,
            };
            if (shape.Problem() is { } problem)
            {
                throw new HuggingFaceConfigException(problem);
            }

            return shape;
        }
    }

    private static HuggingFaceConfigException Missing(string field) => new($"{field}: missing");

    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new HuggingFaceConfigException($"{name}: must be a string, got {v.ValueKind.ToString().ToLowerInvariant()} {v.GetRawText()}");

    private static int? Int(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
            : throw new HuggingFaceConfigException(string.Create(CultureInfo.InvariantCulture, $"{name}: must be an integer, got {Shorten(v.GetRawText())}"));
    }

    private static bool? Bool(JsonElement root, string name) =>
        !root.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw new HuggingFaceConfigException($"{name}: must be true or false, got {Shorten(v.GetRawText())}");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
