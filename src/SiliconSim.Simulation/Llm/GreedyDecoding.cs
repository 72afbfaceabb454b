using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Llm;

/// <summary>The tokens a decoder generated, per sequence, and the logits' argmax margins that chose them.</summary>
/// <param name="Tokens">Per sequence, the generated token ids in order (the prompt excluded).</param>
/// <param name="Steps">Graph executions: the prefill and one per decode step after the first token.</param>
public sealed record GeneratedTokens(ImmutableArray<ImmutableArray<long>> Tokens, int Steps);

/// <summary>
/// Executes an ONNX decoder's values step by step (issue 15): the prefill over the prompt, then one step per new token,
/// each feeding the previous step's <c>present.N.key/value</c> back as <c>past_key_values.N.key/value</c>, as
/// ONNX Runtime GenAI's generator does. Greedy: each new token is the argmax of the last position's logits (the lowest
/// id on a tie, as numpy's argmax), so the tokens are a function of the bits and a drift shows as a different token.
/// </summary>
public static class GreedyDecoding
{
    /// <param name="graph">A decoder wired as the model builder wires one: inputs <c>input_ids</c> [batch, sequence],
    /// <c>attention_mask</c> [batch, total] and <c>past_key_values.N.key/value</c> [batch, kv_heads, past, head];
    /// outputs <c>logits</c> [batch, sequence, vocab] and <c>present.N.key/value</c>.</param>
    /// <param name="prompt">Per sequence, the prompt's token ids; every sequence has the same length.</param>
    /// <param name="newTokens">Tokens to generate per sequence.</param>
    /// <param name="options">The executor's settings (numerics, threads, memory budget).</param>
    /// <exception cref="FormatException">the graph is not wired as a decoder, or the prompt is unusable.</exception>
    /// <exception cref="ExecutionException">a node failed.</exception>
    public static GeneratedTokens Run(ModelGraph graph, IReadOnlyList<long[]> prompt, int newTokens, ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0 || prompt[0].Length == 0 || prompt.Any(p => p.Length != prompt[0].Length))
        {
            throw new FormatException("the prompt needs at least one token per sequence, every sequence the same length");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(newTokens, 1);
        int batch = prompt.Count;
        var past = new List<(string Past, string Present, ValueInfo Info)>();
        foreach (ValueInfo input in graph.RuntimeInputs)
        {
            if (input.Name.StartsWith("past_key_values.", StringComparison.Ordinal))
            {
                string present = "present." + input.Name["past_key_values.".Length..];
                if (!graph.Outputs.Any(o => o.Name == present))
                {
                    throw new FormatException($"graph input '{input.Name}' has no matching output '{present}'");
                }

                if (input.Dims.Length != 4 || input.Dims[1] is not int || input.Dims[3] is not int)
                {
                    throw new FormatException($"graph input '{input.Name}' is declared {input.DimsText}, expected [batch, kv_heads, past, head] with kv_heads and head fixed");
                }

                past.Add((input.Name, present, input));
            }
            else if (input.Name is not ("input_ids" or "attention_mask" or "position_ids"))
            {
                throw new FormatException($"graph input '{input.Name}' is none a decoder step feeds (input_ids, attention_mask, position_ids, past_key_values.N.key/value)");
            }
        }

        if (!graph.RuntimeInputs.Any(i => i.Name == "input_ids") || !graph.Outputs.Any(o => o.Name == "logits"))
        {
            throw new FormatException("a decoder needs an 'input_ids' input and a 'logits' output");
        }

        bool wantsMask = graph.RuntimeInputs.Any(i => i.Name == "attention_mask");
        bool wantsPositions = graph.RuntimeInputs.Any(i => i.Name == "position_ids");
        var caches = past.ToDictionary(p => p.Past, p => TensorValue.Zeros(p.Info.Type, [batch, p.Info.Dims[1]!.Value, 0, p.Info.Dims[3]!.Value]), StringComparer.Ordinal);
        var generated = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToArray();
        long[][] step = [.. prompt.Select(p => p.ToArray())];
        int done = 0, executions = 0;
        while (true)
        {
            int sequence = step[0].Length, total = done + sequence;
            var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal)
            {
                ["input_ids"] = TensorValue.Create(DataType.Int64, [batch, sequence], step.SelectMany(s => s).ToArray()),
            };
            if (wantsMask)
            {
                feeds["attention_mask"] = TensorValue.Create(DataType.Int64, [batch, total], Enumerable.Repeat(1L, batch * total).ToArray());
            }

            if (wantsPositions)
            {
                feeds["position_ids"] = TensorValue.Create(DataType.Int64, [batch, sequence], Enumerable.Range(0, batch).SelectMany(_ => Enumerable.Range(done, sequence).Select(p => (long)p)).ToArray());
            }

            foreach ((string name, TensorValue cache) in caches)
            {
                feeds[name] = cache;
            }

            var outputs = GraphExecutor.Run(graph, feeds, options: options).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
            executions++;
            long[] next = ArgmaxOfLastPosition(outputs["logits"], batch, sequence);
            for (int b = 0; b < batch; b++)
            {
                generated[b].Add(next[b]);
            }

            if (generated[0].Count == newTokens)
            {
                break;
            }

            foreach ((string pastName, string present, _) in past)
            {
                caches[pastName] = outputs[present];
            }

            done = total;
            step = [.. next.Select(t => new[] { t })];
        }

        return new GeneratedTokens([.. generated.Select(g => g.ToImmutableArray())], executions);
    }

    /// <summary>Per sequence, the id of the largest logit at the last position (the lowest id among equals; NaN never wins).</summary>
    private static long[] ArgmaxOfLastPosition(TensorValue logits, int batch, int sequence)
    {
        int[][] all = NextTokenAgreement.Argmax(logits, batch, sequence);
        var next = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            next[b] = all[b][sequence - 1];
        }

        return next;
    }
}
