namespace SiliconSim.Reporting.Charts;

/// <summary>The roofs (peak ops/s, DRAM bytes/s) and the layers placed under them.</summary>
public sealed record RooflineData(double PeakOpsPerSecond, double DramBytesPerSecond, IReadOnlyList<RooflinePoint> Layers)
{
    /// <summary>Intensity where the memory roof meets the compute roof (ops per byte).</summary>
    public double RidgeOpsPerByte => PeakOpsPerSecond / DramBytesPerSecond;
}
