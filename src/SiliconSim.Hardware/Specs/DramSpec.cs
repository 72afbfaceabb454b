namespace SiliconSim.Hardware.Specs;

/// <summary>Off-chip DRAM.</summary>
public sealed record DramSpec
{
    /// <summary>The DRAM standard (LPDDR4, LPDDR5, DDR3, DDR4, HBM2); selects the energy per bit.</summary>
    public required string Type { get; init; }

    public required double BandwidthGBps { get; init; }

    /// <summary>Latency of one access from request to first data, in ns.</summary>
    public required double LatencyNs { get; init; }

    /// <summary>Bytes per burst; transfers are rounded up to whole bursts.</summary>
    public required int BurstBytes { get; init; }
}
