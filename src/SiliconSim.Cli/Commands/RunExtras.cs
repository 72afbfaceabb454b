using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Reporting;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;
using ChartEnergy = SiliconSim.Reporting.Charts.EnergyBreakdown;
using ChartLayer = SiliconSim.Reporting.Charts.LayerEnergy;
using EnergyBreakdown = SiliconSim.Hardware.Energy.EnergyBreakdown;
using ReportThrottle = SiliconSim.Reporting.Charts.ThrottleEvent;
using SimEnergy = SiliconSim.Simulation.Energy.LayerEnergy;
using ThermalTrace = SiliconSim.Reporting.Charts.ThermalTrace;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// The energy and thermal models of a run: prices the timing result with the config's energy table, then drives the
/// thermal network with the per-layer power of back-to-back inferences. Both feed the printed summary and the report.
/// </summary>
internal static class RunExtras
{
    private static readonly string[] s_components = ["MAC", "accumulator", "registers", "SRAM", "DRAM", "vector unit", "leakage", "clock/control"];

    public static ReportExtras Evaluate(SimulationResult result, AcceleratorSpec spec, string configPath, double thermalSeconds, TextWriter stdout)
    {
        EnergyReport energy = EnergyAccounting.Evaluate(result, spec, LoadEnergyTable(spec, configPath));
        EnergyBreakdown total = energy.Total;
        double perInference = total.TotalJ / result.Batch;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"energy ({energy.Table}): {total.TotalJ * 1e6:0.###} uJ per run, {perInference * 1e6:0.####} uJ per inference; MAC {Share(total.MacJ, total)}, SRAM {Share(total.SramJ, total)}, DRAM {Share(total.DramJ, total)}, registers {Share(total.RegistersJ, total)}, leakage {Share(total.LeakageJ, total)}, {energy.TopsPerWatt(result.Macs):0.##} TOPS/W"));

        var extras = new ReportExtras { Energy = new ChartEnergy(s_components, [.. energy.Layers.Select(ChartRow)]) };
        if (spec.Thermal is null || thermalSeconds <= 0)
        {
            return extras;
        }

        ThermalRunResult thermal = InferenceThermal.BackToBack(spec, result, energy, thermalSeconds);
        string throttle = thermal.TimeToFirstThrottleS is double t ? string.Create(CultureInfo.InvariantCulture, $"first throttle at {t:0.###} s") : "no throttling";
        string steady = thermal.NominalSteadyState.Converged
            ? string.Create(CultureInfo.InvariantCulture, $"steady state at full speed {thermal.NominalSteadyState.JunctionC:0.#} C")
            : $"no steady state at full speed ({thermal.NominalSteadyState.Reason ?? "thermal runaway"})";
        string exceeded = thermal.ExceededMaxJunction ? " EXCEEDS the maximum junction temperature;" : string.Empty;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thermal ({thermalSeconds:0.#} s back to back): peak junction {thermal.PeakJunctionC:0.#} C (max {spec.Thermal.MaxJunctionC:0.#} C, throttle at {spec.Thermal.ThrottleC:0.#} C);{exceeded} {steady}, {throttle}, sustained {thermal.SustainedInferencesPerSecond * result.Batch:0.#} inferences/s"));
        if (thermal.Reason is not null)
        {
            stdout.WriteLine($"thermal: {thermal.Status}: {thermal.Reason}");
        }

        var samples = thermal.Samples;
        var chart = new ThermalTrace(
            [.. samples.Select(s => s.TimeS)],
            [.. samples.Select(s => s.PowerW)],
            [.. samples.Select(s => s.JunctionC)],
            spec.Thermal.ThrottleC,
            [.. thermal.ThrottleEvents.Select(e => new ReportThrottle(e.TimeS, e.ToStep > e.FromStep ? $"throttle to step {e.ToStep}" : $"recover to step {e.ToStep}"))]);
        return extras with { Thermal = chart };
    }

    /// <summary>The energy table the config names (a path relative to the config's folder, or a table name).</summary>
    public static Hardware.Energy.EnergyTableSpec LoadEnergyTable(AcceleratorSpec spec, string configPath)
    {
        EnergyTableLoadResult table = EnergyTableLoader.Load(spec.EnergyTable, Path.GetDirectoryName(Path.GetFullPath(configPath)));
        return table.Success
            ? table.Table!
            : throw new UserInputException(spec.EnergyTable, string.Join("; ", table.Diagnostics.Select(d => d.ToString())));
    }

    private static ChartLayer ChartRow(SimEnergy layer)
    {
        EnergyBreakdown e = layer.Energy;
        double[] joules = [e.MacJ, e.AccumulatorJ, e.RegistersJ, e.SramJ, e.DramJ, e.VectorJ, e.LeakageJ, e.OverheadJ];
        return new ChartLayer(layer.Name, [.. joules.Select(j => j * 1e12)]);
    }

    private static string Share(double part, EnergyBreakdown total) =>
        total.TotalJ == 0 ? "0 %" : (part / total.TotalJ).ToString("P0", CultureInfo.InvariantCulture);
}
