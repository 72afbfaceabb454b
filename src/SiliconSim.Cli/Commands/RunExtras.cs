using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Reporting;
using SiliconSim.Simulation.Pipeline;
using ChartEnergy = SiliconSim.Reporting.Charts.EnergyBreakdown;
using ChartLayer = SiliconSim.Reporting.Charts.LayerEnergy;
using EnergyBreakdown = SiliconSim.Hardware.Energy.EnergyBreakdown;
using ReportThrottle = SiliconSim.Reporting.Charts.ThrottleEvent;
using ThermalTrace = SiliconSim.Reporting.Charts.ThermalTrace;

namespace SiliconSim.Cli.Commands;

/// <summary>The energy and thermal chart data of a run, for the report's charts.</summary>
internal static class RunExtras
{
    private static readonly string[] s_components = ["MAC", "accumulator", "registers", "SRAM", "DRAM", "vector unit", "leakage", "clock/control"];

    public static ReportExtras ChartData(RunResult result, AcceleratorSpec spec)
    {
        var extras = new ReportExtras { Energy = new ChartEnergy(s_components, [.. result.Energy.Layers.Select(l => ChartRow(l.Name, l.Energy))]) };
        if (result.Thermal is not { } thermal)
        {
            return extras;
        }

        var samples = thermal.Samples;
        var chart = new ThermalTrace(
            [.. samples.Select(s => s.TimeS)],
            [.. samples.Select(s => s.PowerW)],
            [.. samples.Select(s => s.JunctionC)],
            spec.Thermal.ThrottleC,
            [.. result.ThermalSummary!.ThrottleEvents.Select(e => new ReportThrottle(e.TimeS, string.Create(CultureInfo.InvariantCulture, $"{(e.Throttle ? "throttle" : "recover")} to {e.ToMhz:0.#} MHz")))])
        {
            MaxJunctionCelsius = spec.Thermal.MaxJunctionC,
        };
        return extras with { Thermal = chart };
    }

    private static ChartLayer ChartRow(string name, EnergyBreakdown e)
    {
        double[] joules = [e.MacJ, e.AccumulatorJ, e.RegistersJ, e.SramJ, e.DramJ, e.VectorJ, e.LeakageJ, e.OverheadJ];
        return new ChartLayer(name, [.. joules.Select(j => j * 1e12)]);
    }
}
