using System.Collections.Immutable;

namespace SiliconSim.Hardware.Energy;

/// <summary>
/// What the hardware did, counted per priced action (Accelergy's action counts): energy is these counts times the
/// per-action energies of an <see cref="EnergyTableSpec"/>. Counts are plain totals; they carry no energy.
/// </summary>
public sealed record ActionCounts
{
    public static ActionCounts Empty { get; } = new();

    /// <summary>MACs by operand pair.</summary>
    public ImmutableArray<MacCount> Macs { get; init; } = [];

    /// <summary>Accumulator adds by width and kind.</summary>
    public ImmutableArray<AccumulatorAddCount> AccumulatorAdds { get; init; } = [];

    /// <summary>Bits read from PE registers (operands entering the multiplier, partial sums entering the adder).</summary>
    public long RegisterReadBits { get; init; }

    /// <summary>Bits written to PE registers (operands passed on to the neighbour, partial sums stored).</summary>
    public long RegisterWriteBits { get; init; }

    /// <summary>Word accesses per SRAM buffer, by buffer name.</summary>
    public ImmutableArray<BufferAccessCount> Buffers { get; init; } = [];

    public long DramReadBits { get; init; }

    public long DramWriteBits { get; init; }

    /// <summary>Vector-unit elements by op class.</summary>
    public ImmutableArray<VectorOpCount> VectorOps { get; init; } = [];

    /// <summary>Cycles the accelerator was powered (leakage accrues over them).</summary>
    public long Cycles { get; init; }
}
