using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;
using EnergyBreakdown = SiliconSim.Hardware.Energy.EnergyBreakdown;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// The energy and thermal models of a run: prices the timing result with the config's energy table, then drives the
/// thermal network with the per-layer power of back-to-back inferences. Both feed the printed summary and the report.
/// </summary>
internal static class RunExtras
{
    public static (EnergyReport Energy, ThermalRunResult? Thermal, ThermalSummary? Summary) Evaluate(SimulationResult result, AcceleratorSpec spec, string configPath, double thermalSeconds, TextWriter stdout)
    {
        EnergyReport energy = EnergyAccounting.Evaluate(result, spec, LoadEnergyTable(spec, configPath));
        EnergyBreakdown total = energy.Total;
        double perInference = total.TotalJ / result.Batch;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"energy ({energy.Table}): {total.TotalJ * 1e6:0.###} uJ per run, {perInference * 1e6:0.####} uJ per inference; MAC {Share(total.MacJ, total)}, SRAM {Share(total.SramJ, total)}, DRAM {Share(total.DramJ, total)}, registers {Share(total.RegistersJ, total)}, leakage {Share(total.LeakageJ, total)}, {energy.TopsPerWatt(result.Macs):0.##} TOPS/W"));

        if (spec.Thermal is null || thermalSeconds <= 0)
        {
            return (energy, null, null);
        }

        ThermalRunResult thermal = InferenceThermal.BackToBack(spec, result, energy, thermalSeconds);
        string throttle = thermal.TimeToFirstThrottleS is double t ? string.Create(CultureInfo.InvariantCulture, $"first throttle at {t:0.###} s") : "no throttling";
        string steady = thermal.NominalSteadyState.Converged
            ? string.Create(CultureInfo.InvariantCulture, $"steady state at full speed {thermal.NominalSteadyState.JunctionC:0.#} C")
            : $"no steady state at full speed ({thermal.NominalSteadyState.Reason ?? "thermal runaway"})";
        string exceeded = thermal.ExceededMaxJunction ? " EXCEEDS the maximum junction temperature;" : string.Empty;

        // Back to back at the nominal step, one inference of the batch follows another with no gap: this is the rate
        // the sustained one is measured against.
        double unthrottled = result.InferencesPerSecond;
        double sustained = thermal.SustainedInferencesPerSecond * result.Batch;
        string share = thermal.ThrottleEvents.IsEmpty ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({sustained / unthrottled:P1} of the unthrottled {unthrottled:0.#})");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thermal ({thermalSeconds:0.#} s back to back at {spec.Thermal.AmbientC:0.#} C ambient): peak junction {thermal.PeakJunctionC:0.#} C (max {spec.Thermal.MaxJunctionC:0.#} C, throttle at {spec.Thermal.ThrottleC:0.#} C);{exceeded} {steady}, {throttle}, sustained {sustained:0.#} inferences/s over the last {thermal.EndTimeS / 2:0.#} s{share}"));
        var steps = spec.Thermal.StepsOrNominal(spec.ClockMhz, spec.SupplyVoltageV);
        if (!thermal.ThrottleEvents.IsEmpty)
        {
            stdout.WriteLine(DvfsSummary(thermal, steps));
        }

        if (thermal.Reason is not null)
        {
            stdout.WriteLine($"thermal: {thermal.Status}: {thermal.Reason}");
        }

        return (energy, thermal, ThermalSummary.Of(thermal, spec, result.Batch, thermalSeconds));
    }

    /// <summary>
    /// The governor's steps: each change while there are few (a throttled run steps down once or twice), a count when
    /// it toggles around the threshold, and always the time spent at each operating point.
    /// </summary>
    private static string DvfsSummary(ThermalRunResult thermal, System.Collections.Immutable.ImmutableArray<DvfsStep> steps)
    {
        var events = thermal.ThrottleEvents;
        int down = events.Count(e => e.ToStep > e.FromStep);
        string changes = events.Length <= 6
            ? string.Join(", ", events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{steps[e.FromStep].FrequencyMhz:0.#} -> {steps[e.ToStep].FrequencyMhz:0.#} MHz at {e.TimeS:0.##} s")))
            : $"{events.Length} step changes ({down} down, {events.Length - down} up)";
        var timeAt = new double[steps.Length];
        double from = 0;
        int at = 0;
        foreach (var e in events)
        {
            timeAt[at] += e.TimeS - from;
            (from, at) = (e.TimeS, e.ToStep);
        }

        timeAt[at] += thermal.EndTimeS - from;
        string residency = string.Join(", ", steps.Select((s, i) => (s, i)).Where(p => timeAt[p.i] > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.s.FrequencyMhz:0.#} MHz {timeAt[p.i]:0.#} s")));
        return $"DVFS: {changes}; time at each step: {residency}";
    }

    /// <summary>The energy table the config names (a path relative to the config's folder, or a table name).</summary>
    public static Hardware.Energy.EnergyTableSpec LoadEnergyTable(AcceleratorSpec spec, string configPath)
    {
        EnergyTableLoadResult table = EnergyTableLoader.Load(spec.EnergyTable, Path.GetDirectoryName(Path.GetFullPath(configPath)));
        if (!table.Success)
        {
            throw new UserInputException(spec.EnergyTable, string.Join("; ", table.Diagnostics.Select(d => d.ToString())));
        }

        // A table that loads may still lack a price this accelerator needs (a MAC pair its array multiplies, its DRAM).
        var problems = Hardware.Energy.EnergyModel.Validate(table.Table!, spec);
        return problems.IsEmpty
            ? table.Table!
            : throw new UserInputException(configPath, string.Join("; ", problems));
    }

    private static string Share(double part, EnergyBreakdown total) =>
        total.TotalJ == 0 ? "0 %" : (part / total.TotalJ).ToString("P0", CultureInfo.InvariantCulture);
}
