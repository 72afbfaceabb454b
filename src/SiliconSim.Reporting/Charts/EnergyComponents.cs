using SiliconSim.Hardware.Energy;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// The components the energy charts stack, in order: an <see cref="EnergyBreakdown"/> with its SRAM buffers summed
/// (the per-buffer split is in report.json).
/// </summary>
internal static class EnergyComponents
{
    public static readonly string[] Names = ["MAC", "accumulator", "registers", "SRAM", "DRAM", "vector unit", "leakage", "clock/control", "idle"];

    /// <summary>The components of <paramref name="e"/> in pJ, in <see cref="Names"/> order.</summary>
    public static double[] Picojoules(EnergyBreakdown e)
    {
        double[] joules = [e.MacJ, e.AccumulatorJ, e.RegistersJ, e.SramJ, e.DramJ, e.VectorJ, e.LeakageJ, e.OverheadJ, e.IdleJ];
        return [.. joules.Select(j => j * 1e12)];
    }
}
