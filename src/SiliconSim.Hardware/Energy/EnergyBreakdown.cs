using System.Collections.Immutable;

namespace SiliconSim.Hardware.Energy;

/// <summary>Energy by component, in joules, at the accelerator's node and voltage.</summary>
public sealed record EnergyBreakdown
{
    /// <summary>Multiplies.</summary>
    public required double MacJ { get; init; }

    public required double AccumulatorJ { get; init; }

    public required double RegistersJ { get; init; }

    /// <summary>One entry per accelerator buffer, in spec order.</summary>
    public required ImmutableArray<BufferEnergy> Sram { get; init; }

    public required double DramJ { get; init; }

    public required double VectorJ { get; init; }

    /// <summary>Leakage over the cycles, at the junction temperature the energy report states.</summary>
    public required double LeakageJ { get; init; }

    /// <summary>Clock tree and control: the table's fraction of the on-chip dynamic energy (DRAM excluded).</summary>
    public required double OverheadJ { get; init; }

    /// <summary>
    /// Always-on power (<c>thermal.idle_power_w</c>: what clock gating leaves running) over the cycles. Not required:
    /// reports written before it was counted have none, which is what they priced.
    /// </summary>
    public double IdleJ { get; init; }

    public double SramJ => Sram.Sum(b => b.TotalJ);

    /// <summary>Switching energy of the actions: everything except leakage, overhead and idle.</summary>
    public double DynamicJ => MacJ + AccumulatorJ + RegistersJ + SramJ + DramJ + VectorJ;

    public double TotalJ => DynamicJ + LeakageJ + OverheadJ + IdleJ;

    /// <summary>What the die itself dissipates: everything but DRAM, whose energy the DRAM device dissipates.</summary>
    public double OnDieJ => MacJ + AccumulatorJ + RegistersJ + SramJ + VectorJ + LeakageJ + OverheadJ + IdleJ;

    /// <summary>Component-wise sum (buffers matched by position; both must list the same buffers).</summary>
    public EnergyBreakdown Plus(EnergyBreakdown other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Sram.Length != other.Sram.Length)
        {
            throw new ArgumentException("breakdowns of different accelerators cannot be added", nameof(other));
        }

        return new EnergyBreakdown
        {
            MacJ = MacJ + other.MacJ,
            AccumulatorJ = AccumulatorJ + other.AccumulatorJ,
            RegistersJ = RegistersJ + other.RegistersJ,
            Sram = [.. Sram.Zip(other.Sram, (a, b) => new BufferEnergy(a.Name, a.ReadJ + b.ReadJ, a.WriteJ + b.WriteJ))],
            DramJ = DramJ + other.DramJ,
            VectorJ = VectorJ + other.VectorJ,
            LeakageJ = LeakageJ + other.LeakageJ,
            OverheadJ = OverheadJ + other.OverheadJ,
            IdleJ = IdleJ + other.IdleJ,
        };
    }
}
