using System.Collections.Immutable;

namespace SiliconSim.Simulation.Llm;

/// <summary>A timed generation: prefill, then the decode steps, on one accelerator.</summary>
public sealed record GenerationResult
{
    public required GenerationRequest Request { get; init; }

    public required string Accelerator { get; init; }

    public required double ClockMhz { get; init; }

    /// <summary>2 x PEs x clock.</summary>
    public required double PeakOpsPerSecond { get; init; }

    public required double DramBytesPerSecond { get; init; }

    /// <summary>The model's weights as stored under the request's format.</summary>
    public required long WeightBytes { get; init; }

    /// <summary>On-chip buffer capacity, all buffers together.</summary>
    public required long OnChipBytes { get; init; }

    public required PhaseMetrics Prefill { get; init; }

    /// <summary>All decode steps together.</summary>
    public required PhaseMetrics Decode { get; init; }

    /// <summary>The decode steps (0-based) timed exactly; the others are interpolated.</summary>
    public required ImmutableArray<int> SampledSteps { get; init; }

    /// <summary>The tokens the decoder's executed values chose (greedy), when the request carried a graph; else null.</summary>
    public GeneratedTokens? Generated { get; init; }

    /// <summary>Time to first token: the prefill, which yields the first token's logits.</summary>
    public double TtftS => Prefill.Seconds;

    /// <summary>Time per output token: a decode step's mean time.</summary>
    public double TpotS => Decode.Seconds / Request.NewTokens;

    /// <summary>Tokens per second over the batch during decode.</summary>
    public double TokensPerS => Request.Batch / TpotS;

    /// <summary>Decode energy per generated token.</summary>
    public double EnergyPerTokenJ => Decode.EnergyJ / ((double)Request.NewTokens * Request.Batch);

    /// <summary>Decode DRAM reads per generated token.</summary>
    public double DramReadBytesPerToken => Decode.DramReadBytes / ((double)Request.NewTokens * Request.Batch);

    /// <summary>Whether a phase's intensity puts it under the memory roof.</summary>
    public bool IsMemoryBound(PhaseMetrics phase) => phase.OpsPerDramByte * DramBytesPerSecond < PeakOpsPerSecond;
}
