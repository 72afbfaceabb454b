using SiliconSim.Reporting.Charts;

namespace SiliconSim.Reporting;

/// <summary>
/// Data other models add to a run's report when they ran: the energy breakdown and the thermal trace. Null means the
/// chart is left out.
/// </summary>
public sealed record ReportExtras
{
    public static ReportExtras None { get; } = new();

    public EnergyBreakdown? Energy { get; init; }

    public ThermalTrace? Thermal { get; init; }
}
