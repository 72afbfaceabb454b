namespace SiliconSim.Config.Documents;

/// <summary>The <c>memory.dram:</c> section as written (null = absent).</summary>
public sealed class DramDocument
{
    public string? Type { get; set; }

    public double? BandwidthGbps { get; set; }

    public double? LatencyNs { get; set; }

    public long? BurstBytes { get; set; }
}
