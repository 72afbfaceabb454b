using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Simulation.Llm;

/// <summary>How often a quantized decoder's next token is fp32's, over a token set.</summary>
/// <param name="Agreeing">Positions whose argmax equals the reference's.</param>
/// <param name="Positions">Positions compared: sequences x tokens.</param>
public sealed record NextTokenAgreementResult(long Agreeing, long Positions)
{
    /// <summary>Agreeing / positions, in [0, 1].</summary>
    public double Fraction => Positions == 0 ? 0 : Agreeing / (double)Positions;
}

/// <summary>
/// Next-token agreement by teacher forcing (issue 15): each format's decoder runs one prefill over the token set
/// (<see cref="DecoderFeeds.Prefill"/>), lowered and executed for the accelerator as every front door executes a model
/// (<see cref="AcceleratorLowering"/>, the array's numerics), and the argmax of the logits at every position is the
/// token it would emit after that prefix. Positions where it equals the fp32 decoder's count as agreeing.
/// </summary>
public static class NextTokenAgreement
{
    /// <summary>Per sequence and position, the argmax of <paramref name="graph"/>'s logits over <paramref name="tokens"/>.</summary>
    /// <param name="spec">The accelerator whose array the matrix ops map onto; null: ONNX Runtime's CPU arithmetic (the fp32 reference).</param>
    /// <exception cref="FormatException">the graph is not a decoder, or its logits are not [sequences, tokens, vocab].</exception>
    /// <exception cref="ExecutionException">a node failed.</exception>
    public static int[][] Predictions(ModelGraph graph, IReadOnlyList<long[]> tokens, AcceleratorSpec? spec, ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Dictionary<string, TensorValue> feeds = DecoderFeeds.Prefill(graph, tokens);
        ModelGraph lowered = AcceleratorLowering.Lower(graph, spec, options?.MemoryBudget);
        ExecutionOptions run = (spec?.Array.Numerics.ToExecutionOptions() ?? ExecutionOptions.Default) with
        {
            MemoryBudget = options?.MemoryBudget ?? MemoryBudget.Default,
            Parallelism = options?.Parallelism ?? Parallelism.Single,
        };
        int logitsAt = lowered.Outputs.Select(o => o.Name).ToList().IndexOf("logits");
        if (logitsAt < 0)
        {
            throw new FormatException("a decoder needs a 'logits' output");
        }

        TensorValue logits = GraphExecutor.Run(lowered, feeds, options: run)[logitsAt].Value;
        return Argmax(logits, tokens.Count, tokens[0].Length);
    }

    /// <summary>
    /// The same predictions made the way a generation makes them: one token per step, every step's new keys and values
    /// stored in <paramref name="kv"/> (<see cref="KvCacheRounding"/>; null keeps them in float32) and read back by the
    /// next step as past_key_values; still teacher-forced (step t feeds the token set's token t), so every position is
    /// compared.
    /// </summary>
    /// <exception cref="FormatException">the graph is not a decoder, or its logits are not [sequences, 1, vocab].</exception>
    /// <exception cref="ExecutionException">a node failed.</exception>
    public static int[][] PredictionsThroughCache(ModelGraph graph, IReadOnlyList<long[]> tokens, AcceleratorSpec? spec, KvCacheFormat? kv, ExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tokens);
        int sequences = tokens.Count;
        Dictionary<string, TensorValue> feeds = DecoderFeeds.Prefill(graph, [.. tokens.Select(t => t[..1])]);
        int length = tokens[0].Length;
        ModelGraph lowered = AcceleratorLowering.Lower(graph, spec, options?.MemoryBudget);
        ExecutionOptions run = (spec?.Array.Numerics.ToExecutionOptions() ?? ExecutionOptions.Default) with
        {
            MemoryBudget = options?.MemoryBudget ?? MemoryBudget.Default,
            Parallelism = options?.Parallelism ?? Parallelism.Single,
        };
        string[] pasts = [.. feeds.Keys.Where(k => k.StartsWith("past_key_values.", StringComparison.Ordinal))];
        var result = Enumerable.Range(0, sequences).Select(_ => new int[length]).ToArray();
        for (int t = 0; t < length; t++)
        {
            feeds["input_ids"] = TensorValue.Create(DataType.Int64, [sequences, 1], tokens.Select(s => s[t]).ToArray());
            if (feeds.ContainsKey("attention_mask"))
            {
                feeds["attention_mask"] = TensorValue.Create(DataType.Int64, [sequences, t + 1], Enumerable.Repeat(1L, sequences * (t + 1)).ToArray());
            }

            if (feeds.ContainsKey("position_ids"))
            {
                feeds["position_ids"] = TensorValue.Create(DataType.Int64, [sequences, 1], Enumerable.Repeat((long)t, sequences).ToArray());
            }

            var outputs = GraphExecutor.Run(lowered, feeds, options: run).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
            int[][] step = Argmax(outputs.TryGetValue("logits", out TensorValue? logits) ? logits : throw new FormatException("a decoder needs a 'logits' output"), sequences, 1);
            for (int s = 0; s < sequences; s++)
            {
                result[s][t] = step[s][0];
            }

            foreach (string past in pasts)
            {
                string present = "present." + past["past_key_values.".Length..];
                TensorValue cache = outputs.TryGetValue(present, out TensorValue? c) ? c : throw new FormatException($"graph input '{past}' has no matching output '{present}'");
                feeds[past] = kv is { } format ? KvCacheRounding.Store(cache, t, format) : cache;
            }
        }

        return result;
    }

    /// <summary>The positions where <paramref name="predictions"/> equal <paramref name="reference"/>.</summary>
    public static NextTokenAgreementResult Compare(int[][] reference, int[][] predictions)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(predictions);
        if (reference.Length != predictions.Length || reference.Where((r, i) => r.Length != predictions[i].Length).Any())
        {
            throw new ArgumentException("predictions and reference cover different positions", nameof(predictions));
        }

        long agreeing = 0, positions = 0;
        for (int s = 0; s < reference.Length; s++)
        {
            for (int t = 0; t < reference[s].Length; t++)
            {
                agreeing += reference[s][t] == predictions[s][t] ? 1 : 0;
                positions++;
            }
        }

        return new NextTokenAgreementResult(agreeing, positions);
    }

    /// <summary>Per sequence and position, the id of the largest logit (the lowest id among equals, as numpy's
    /// argmax; NaN never wins).</summary>
    public static int[][] Argmax(TensorValue logits, int sequences, int tokens)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 3 || logits.Shape[0] != sequences || logits.Shape[1] != tokens)
        {
            throw new FormatException($"output 'logits' is {logits}, expected [{sequences}, {tokens}, vocab]");
        }

        float[] values = logits.Data switch
        {
            float[] f => f,
            Half[] h => Array.ConvertAll(h, v => (float)v),
            _ => throw new FormatException($"output 'logits' is {logits}, expected float or float16"),
        };
        int vocab = logits.Shape[2];
        var result = new int[sequences][];
        for (int s = 0; s < sequences; s++)
        {
            result[s] = new int[tokens];
            for (int t = 0; t < tokens; t++)
            {
                ReadOnlySpan<float> row = values.AsSpan(((s * tokens) + t) * vocab, vocab);
                int best = 0;
                for (int v = 1; v < vocab; v++)
                {
                    if (row[v] > row[best] || float.IsNaN(row[best]))
                    {
                        best = v;
                    }
                }

                result[s][t] = best;
            }
        }

        return result;
    }
}
