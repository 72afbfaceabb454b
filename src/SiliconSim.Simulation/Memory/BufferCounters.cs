using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Accesses to one SRAM buffer over a layer. Reads feed the array (the im2col-expanded input as the array consumes
/// it, weights per fold, partial sums to accumulate) and drain outputs or spilled partial sums to DRAM; writes are DRAM
/// fills, refilled partial sums and the array's results. Accesses count words: each transfer of b bytes is
/// ceil(b / WordBytes) accesses.
/// </summary>
public sealed record BufferCounters
{
    public required string Name { get; init; }

    public required BufferRole Role { get; init; }

    /// <summary>Which operands this buffer held for the layer.</summary>
    public required IReadOnlyList<OperandKind> Operands { get; init; }

    public required long ReadBytes { get; init; }

    public required long WriteBytes { get; init; }

    public required long ReadAccesses { get; init; }

    public required long WriteAccesses { get; init; }
}
