namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Where a layer sits on the roofline: its arithmetic intensity (ops per DRAM byte), the performance it attained, the
/// compute roof 2 x PEs x clock (a MAC is two ops) and the memory roof intensity x DRAM bandwidth.
/// </summary>
public sealed record RooflinePoint
{
    /// <summary>2 x MACs.</summary>
    public required long Ops { get; init; }

    /// <summary>Ops per byte of DRAM traffic (reads + writes); infinity when the layer moves no DRAM bytes.</summary>
    public required double OpsPerDramByte { get; init; }

    /// <summary>Ops / (total cycles x cycle time).</summary>
    public required double AttainedOpsPerSecond { get; init; }

    /// <summary>2 x PEs x clock.</summary>
    public required double PeakOpsPerSecond { get; init; }

    /// <summary>OpsPerDramByte x bandwidth in bytes/s: what DRAM alone would allow.</summary>
    public required double MemoryRoofOpsPerSecond { get; init; }

    /// <summary>min(peak, memory roof): the roofline's bound at this intensity.</summary>
    public double RoofOpsPerSecond => Math.Min(PeakOpsPerSecond, MemoryRoofOpsPerSecond);

    /// <summary>True when the memory roof is below the compute roof at this intensity.</summary>
    public bool IsMemoryBound => MemoryRoofOpsPerSecond < PeakOpsPerSecond;
}
