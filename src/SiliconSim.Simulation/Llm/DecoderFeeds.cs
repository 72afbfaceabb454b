using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// The feeds of a decoder wired as ONNX Runtime GenAI's model builder wires one (input_ids, attention_mask,
/// optional position_ids, past_key_values.N.key/value [batch, kv_heads, past, head]).
/// </summary>
public static class DecoderFeeds
{
    /// <summary>Whether <paramref name="graph"/>'s inputs are a decoder step's: input_ids and at least one
    /// past_key_values.N input. Says nothing of the rest of the graph (<see cref="OnnxDecoderShape"/> checks that).</summary>
    public static bool LooksLikeDecoder(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.RuntimeInputs.Any(i => i.Name == "input_ids") && graph.RuntimeInputs.Any(i => i.Name.StartsWith("past_key_values.", StringComparison.Ordinal));
    }

    /// <summary>
    /// A prefill over every sequence of <paramref name="tokens"/> at once (teacher forcing): input_ids [sequences,
    /// tokens], an all-ones mask, positions 0.., and empty past keys and values. One run gives the logits at every
    /// position, each the prediction of the token after it.
    /// </summary>
    /// <exception cref="FormatException">the graph's inputs are not a decoder's, or the sequences differ in length.</exception>
    public static Dictionary<string, TensorValue> Prefill(ModelGraph graph, IReadOnlyList<long[]> tokens)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0 || tokens[0].Length == 0 || tokens.Any(t => t.Length != tokens[0].Length))
        {
            throw new FormatException("the token set needs at least one token per sequence, every sequence the same length");
        }

        int batch = tokens.Count, length = tokens[0].Length;
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (ValueInfo input in graph.RuntimeInputs)
        {
            feeds[input.Name] = input.Name switch
            {
                "input_ids" => TensorValue.Create(DataType.Int64, [batch, length], tokens.SelectMany(t => t).ToArray()),
                "attention_mask" => TensorValue.Create(DataType.Int64, [batch, length], Enumerable.Repeat(1L, batch * length).ToArray()),
                "position_ids" => TensorValue.Create(DataType.Int64, [batch, length], Enumerable.Range(0, batch).SelectMany(_ => Enumerable.Range(0, length).Select(p => (long)p)).ToArray()),
                _ when input.Name.StartsWith("past_key_values.", StringComparison.Ordinal) && input.Dims.Length == 4 && input.Dims[1] is int heads && input.Dims[3] is int head
                    => TensorValue.Zeros(input.Type, [batch, heads, 0, head]),
                _ => throw new FormatException($"graph input '{input.Name}' {input.DimsText} is none a decoder's prefill feeds (input_ids, attention_mask, position_ids, past_key_values.N.key/value [batch, kv_heads, past, head] with kv_heads and head fixed)"),
            };
        }

        if (!feeds.ContainsKey("input_ids"))
        {
            throw new FormatException("a decoder needs an 'input_ids' input");
        }

        return feeds;
    }
}
