using SiliconSim.Hardware.Energy;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// One phase of a generation (prefill, or all decode steps together) in numbers: cycles, energy by component, DRAM
/// traffic split into weights and KV cache, and the MACs, all summed over the phase's passes.
/// </summary>
public sealed record PhaseMetrics
{
    public required double Cycles { get; init; }

    public required double Seconds { get; init; }

    public required double Macs { get; init; }

    public required double DramReadBytes { get; init; }

    public required double DramWriteBytes { get; init; }

    /// <summary>DRAM bytes of weights (projections, scales, embedding rows, norms).</summary>
    public required double WeightReadBytes { get; init; }

    /// <summary>DRAM bytes the attention read from the KV cache.</summary>
    public required double KvReadBytes { get; init; }

    /// <summary>DRAM bytes of new keys and values appended to the cache.</summary>
    public required double KvWriteBytes { get; init; }

    /// <summary>The KV cache at the end of the phase.</summary>
    public required long KvCacheBytes { get; init; }

    public required double MacJ { get; init; }

    public required double AccumulatorJ { get; init; }

    public required double RegistersJ { get; init; }

    public required double SramJ { get; init; }

    public required double DramJ { get; init; }

    public required double VectorJ { get; init; }

    public required double LeakageJ { get; init; }

    public required double OverheadJ { get; init; }

    public required double IdleJ { get; init; }

    public double EnergyJ => MacJ + AccumulatorJ + RegistersJ + SramJ + DramJ + VectorJ + LeakageJ + OverheadJ + IdleJ;

    /// <summary>Ops (2 per MAC) per DRAM byte moved.</summary>
    public double OpsPerDramByte => DramReadBytes + DramWriteBytes == 0 ? double.PositiveInfinity : 2 * Macs / (DramReadBytes + DramWriteBytes);

    public double AttainedOpsPerSecond => Seconds == 0 ? 0 : 2 * Macs / Seconds;

    /// <summary>One pass's numbers from its run.</summary>
    public static PhaseMetrics Of(RunResult run, DecoderPass pass)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(pass);
        SimulationResult p = run.Performance;
        EnergyBreakdown e = run.Energy.Total;
        bool Attention(LayerResult l) => l.Name.EndsWith(".attn_qk", StringComparison.Ordinal) || l.Name.EndsWith(".attn_pv", StringComparison.Ordinal);
        bool CacheWrite(LayerResult l) => l.Name.EndsWith(".k_rotary", StringComparison.Ordinal) || l.Name.EndsWith(".v_quant", StringComparison.Ordinal);
        return new PhaseMetrics
        {
            Cycles = p.TotalCycles,
            Seconds = p.LatencySeconds,
            Macs = p.Macs,
            DramReadBytes = p.DramReadBytes,
            DramWriteBytes = p.DramWriteBytes,
            WeightReadBytes = p.Layers.Sum(l => l.Dram.WeightReadBytes),
            KvReadBytes = pass.PastTokens > 0 ? p.Layers.Where(Attention).Sum(l => l.DramReadBytes) : 0,
            KvWriteBytes = p.Layers.Where(CacheWrite).Sum(l => l.Dram.ActivationOutWriteBytes),
            KvCacheBytes = pass.KvCacheBytes,
            MacJ = e.MacJ,
            AccumulatorJ = e.AccumulatorJ,
            RegistersJ = e.RegistersJ,
            SramJ = e.SramJ,
            DramJ = e.DramJ,
            VectorJ = e.VectorJ,
            LeakageJ = e.LeakageJ,
            OverheadJ = e.OverheadJ,
            IdleJ = e.IdleJ,
        };
    }

    /// <summary>This plus <paramref name="other"/>, field by field (the later KV cache size is kept).</summary>
    public PhaseMetrics Plus(PhaseMetrics other) => Combine(other, 1, 1, Math.Max(KvCacheBytes, other.KvCacheBytes));

    /// <summary>The straight line from this (at 0) to <paramref name="other"/> (at 1), at <paramref name="t"/>.</summary>
    public PhaseMetrics Lerp(PhaseMetrics other, double t) => Combine(other, 1 - t, t, (long)Math.Round(KvCacheBytes + (t * (other.KvCacheBytes - KvCacheBytes))));

    private PhaseMetrics Combine(PhaseMetrics o, double a, double b, long kvCache) => new()
    {
        Cycles = (a * Cycles) + (b * o.Cycles),
        Seconds = (a * Seconds) + (b * o.Seconds),
        Macs = (a * Macs) + (b * o.Macs),
        DramReadBytes = (a * DramReadBytes) + (b * o.DramReadBytes),
        DramWriteBytes = (a * DramWriteBytes) + (b * o.DramWriteBytes),
        WeightReadBytes = (a * WeightReadBytes) + (b * o.WeightReadBytes),
        KvReadBytes = (a * KvReadBytes) + (b * o.KvReadBytes),
        KvWriteBytes = (a * KvWriteBytes) + (b * o.KvWriteBytes),
        KvCacheBytes = kvCache,
        MacJ = (a * MacJ) + (b * o.MacJ),
        AccumulatorJ = (a * AccumulatorJ) + (b * o.AccumulatorJ),
        RegistersJ = (a * RegistersJ) + (b * o.RegistersJ),
        SramJ = (a * SramJ) + (b * o.SramJ),
        DramJ = (a * DramJ) + (b * o.DramJ),
        VectorJ = (a * VectorJ) + (b * o.VectorJ),
        LeakageJ = (a * LeakageJ) + (b * o.LeakageJ),
        OverheadJ = (a * OverheadJ) + (b * o.OverheadJ),
        IdleJ = (a * IdleJ) + (b * o.IdleJ),
    };
}
