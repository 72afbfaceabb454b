using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Results;

/// <summary>What one layer cost on the modeled hardware: cycles (compute and stalls), utilization and traffic.</summary>
public sealed record LayerResult
{
    /// <summary>The lowered graph's node name.</summary>
    public required string Name { get; init; }

    public required string OpType { get; init; }

    public required LayerKind Kind { get; init; }

    /// <summary>The work's shape for people: "M x N x K" (and groups) for matrix ops, the element count for vector ops.</summary>
    public required string Shape { get; init; }

    /// <summary>Multiply-accumulates (0 for vector ops).</summary>
    public required long Macs { get; init; }

    /// <summary>Matrix layers: the reduction length K of one output (products summed per output); 0 otherwise.</summary>
    public long ReductionLength { get; init; }

    /// <summary>Folds of the GEMM onto the array (0 for vector ops).</summary>
    public long Folds { get; init; }

    /// <summary>Cycles the array (or vector unit) computes, with ideal memory.</summary>
    public required long ComputeCycles { get; init; }

    /// <summary>Cycles the unit waits for DRAM or SRAM ports beyond compute (first fill and last drain included).</summary>
    public required long StallCycles { get; init; }

    public long TotalCycles => ComputeCycles + StallCycles;

    /// <summary>MACs / (PEs x total cycles) for matrix ops; 0 for vector ops.</summary>
    public required double Utilization { get; init; }

    public required long SramReadBytes { get; init; }

    public required long SramWriteBytes { get; init; }

    public required long DramReadBytes { get; init; }

    public required long DramWriteBytes { get; init; }

    /// <summary>The DRAM bytes by cause: weights, activations in and out, spills and refills (totals equal
    /// <see cref="DramReadBytes"/> and <see cref="DramWriteBytes"/>).</summary>
    public DramTraffic Dram { get; init; } = DramTraffic.Zero;

    /// <summary>What the buffers held while the layer ran, as the network memory plan placed it.</summary>
    public LayerOccupancy Occupancy { get; init; } = LayerOccupancy.None;

    /// <summary>The matrix layer whose output path (epilogue) ran this vector layer; null when it ran on its own.</summary>
    public string? FusedInto { get; init; }

    /// <summary>Traffic per SRAM buffer, in spec order (the energy model prices each buffer's accesses).</summary>
    public ImmutableArray<BufferCounters> Buffers { get; init; } = [];

    /// <summary>The tiling the memory model chose for a matrix layer (test vectors cut per tile follow it); null otherwise.</summary>
    public TileMapping? Mapping { get; init; }

    /// <summary>The activation operand's type on the array (matrix layers; Undefined for vector layers). Prices the MACs.</summary>
    public DataType InputType { get; init; }

    /// <summary>The weight operand's type on the array (matrix layers; Undefined for vector layers).</summary>
    public DataType WeightType { get; init; }

    /// <summary>The vector unit's op class (vector layers only).</summary>
    public VectorOpClass? VectorClass { get; init; }

    /// <summary>Elements the vector unit processed (vector layers only).</summary>
    public long VectorElements { get; init; }

    /// <summary>This layer run <paramref name="times"/> times back to back (a batch split into equal sub-batches).</summary>
    public LayerResult Repeated(int times) => this with
    {
        Macs = Macs * times,
        Folds = Folds * times,
        ComputeCycles = ComputeCycles * times,
        StallCycles = StallCycles * times,
        SramReadBytes = SramReadBytes * times,
        SramWriteBytes = SramWriteBytes * times,
        DramReadBytes = DramReadBytes * times,
        DramWriteBytes = DramWriteBytes * times,
        Dram = Dram.Times(times),
        Buffers = [.. Buffers.Select(b => b with
        {
            ReadBytes = b.ReadBytes * times,
            WriteBytes = b.WriteBytes * times,
            ReadAccesses = b.ReadAccesses * times,
            WriteAccesses = b.WriteAccesses * times,
        })],
        VectorElements = VectorElements * times,
    };

    /// <summary>Arithmetic intensity against DRAM: 2 x MACs per DRAM byte (infinity when nothing moves).</summary>
    public double OpsPerDramByte => DramReadBytes + DramWriteBytes == 0 ? double.PositiveInfinity : 2.0 * Macs / (DramReadBytes + DramWriteBytes);
}
