using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Simulation.Llm;

/// <summary>A generation to time: a prompt of <see cref="PromptTokens"/> tokens, then <see cref="NewTokens"/> decode
/// steps, for each of <see cref="Batch"/> sequences.</summary>
public sealed record GenerationRequest
{
    public required string Model { get; init; }

    public required DecoderShape Shape { get; init; }

    public int PromptTokens { get; init; } = 128;

    public int NewTokens { get; init; } = 128;

    public int Batch { get; init; } = 1;

    public LlmWeightFormat Weights { get; init; } = LlmWeightFormat.Int4;

    public KvCacheFormat Kv { get; init; } = KvCacheFormat.Fp16;

    /// <summary>
    /// The decoder's graph, when its values are to be executed (<see cref="GreedyDecoding"/>) beside the timing; null
    /// times the shape alone. Executed with <see cref="PromptIds"/> for <see cref="NewTokens"/> steps.
    /// </summary>
    public ModelGraph? Graph { get; init; }

    /// <summary>Per sequence, the prompt's token ids for an executed generation; one per <see cref="Batch"/> sequence,
    /// each <see cref="PromptTokens"/> long.</summary>
    public IReadOnlyList<long[]>? PromptIds { get; init; }

    /// <summary>The executor's settings for an executed generation (threads, numerics); null: the defaults.</summary>
    public ExecutionOptions? Execution { get; init; }

    /// <summary>Decode steps timed exactly; the others are interpolated between them (a step's cost is affine in its past
    /// length, up to tiling). At least 2: the first and the last step.</summary>
    public int DecodeSamples { get; init; } = 5;

    /// <summary>The first parameter that makes no generation, as "--option: problem", or null.</summary>
    public string? Problem()
    {
        if (Shape.Problem() is { } shape)
        {
            return shape;
        }

        if (PromptTokens <= 0)
        {
            return $"--prompt-tokens: must be a positive integer, got {PromptTokens}";
        }

        if (NewTokens <= 0)
        {
            return $"--new-tokens: must be a positive integer, got {NewTokens}";
        }

        if (Batch <= 0)
        {
            return $"--batch: must be a positive integer, got {Batch}";
        }

        // A pass's rows (batch x tokens) size its activations; past 2^20 they outgrow any accelerator's memory by far.
        if ((long)Batch * ((long)PromptTokens + NewTokens) > 1 << 20)
        {
            return $"--batch x (--prompt-tokens + --new-tokens): {(long)Batch * ((long)PromptTokens + NewTokens)} tokens in flight, more than the {1 << 20} SiliconSim times";
        }

        if ((long)PromptTokens + NewTokens > Shape.MaxPositions)
        {
            return $"--prompt-tokens + --new-tokens: {(long)PromptTokens + NewTokens} tokens exceed the model's max_position_embeddings {Shape.MaxPositions}";
        }

        if (Graph is not null && (PromptIds is null || PromptIds.Count != Batch || PromptIds.Any(p => p.Length != PromptTokens)))
        {
            return $"--prompt-ids: an executed generation needs {Batch} sequence(s) of {PromptTokens} token ids";
        }

        foreach (long id in PromptIds?.SelectMany(p => p) ?? [])
        {
            if (id < 0 || id >= Shape.VocabSize)
            {
                return $"--prompt-ids: token id {id} is outside the vocabulary [0, {Shape.VocabSize})";
            }
        }

        return DecodeSamples < 2 ? $"decode samples: at least 2, got {DecodeSamples}" : null;
    }
}
