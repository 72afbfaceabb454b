using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Energy;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Commands;

/// <summary>What <c>run</c> prints, read from the <see cref="RunResult"/> alone: the layer table and totals, the values'
/// outcome, the energy line, and the thermal and DVFS lines.</summary>
internal static class RunText
{
    public static void Print(RunResult result, bool topology, ImmutableArray<string> overrides, TextWriter stdout)
    {
        RunTable.Print(result, Values(result, topology), stdout);
        if (!overrides.IsEmpty)
        {
            stdout.WriteLine($"config overrides: {string.Join(", ", overrides)}");
        }

        EnergyBreakdown total = result.Energy.Total;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"energy ({result.Energy.Table}): {total.TotalJ * 1e6:0.###} uJ per run, {result.EnergyPerInferenceJ * 1e6:0.####} uJ per inference; MAC {Share(total.MacJ, total)}, SRAM {Share(total.SramJ, total)}, DRAM {Share(total.DramJ, total)}, registers {Share(total.RegistersJ, total)}, leakage {Share(total.LeakageJ, total)}{LeakageAt(result.Energy.Leakage)}{Idle(total)}, {result.TopsPerWatt:0.##} TOPS/W"));
        if (result.ThermalSummary is { } t)
        {
            PrintThermal(t, result, stdout);
        }
    }

    /// <summary>The always-on (idle) share, when the config has idle power.</summary>
    private static string Idle(EnergyBreakdown total) => total.IdleJ > 0 ? $", idle {Share(total.IdleJ, total)}" : string.Empty;

    /// <summary>The junction temperature leakage was priced at, and why when it is not the steady state.</summary>
    private static string LeakageAt(LeakagePricing? leakage) => leakage switch
    {
        null => string.Empty,
        { Basis: LeakageTemperatureBasis.MaxJunction } => string.Create(CultureInfo.InvariantCulture, $" (at {leakage.JunctionC:0.#} C, the maximum junction: no steady state at full speed)"),
        { Basis: LeakageTemperatureBasis.SteadyState } => string.Create(CultureInfo.InvariantCulture, $" (at {leakage.JunctionC:0.#} C, the full-speed steady state)"),
        _ => string.Create(CultureInfo.InvariantCulture, $" (at {leakage.JunctionC:0.#} C)"),
    };

    /// <summary>The values line: what was executed and how it compares with the golden.</summary>
    public static string Values(RunResult result, bool topology) => result.Values switch
    {
        ValuesOutcome.TimingOnly => topology ? "timing only (topology)" : "timing only (no input: pass --input or a test-case folder to execute)",
        ValuesOutcome.Executed => "executed (no golden to compare with)",
        ValuesOutcome.BitExact => "bit-exact against the golden",
        ValuesOutcome.Mismatch => $"{result.Mismatches} elements differ from the golden",
        _ => $"drift under the array's numerics ({result.Numerics}): {result.Mismatches} elements differ from ONNX Runtime's golden",
    };

    private static void PrintThermal(ThermalSummary t, RunResult result, TextWriter stdout)
    {
        string throttle = t.TimeToFirstThrottleS is double first ? string.Create(CultureInfo.InvariantCulture, $"first throttle at {first:0.###} s") : "no throttling";
        string steady = t.SteadyStateC is double c
            ? string.Create(CultureInfo.InvariantCulture, $"steady state at full speed {c:0.#} C")
            : $"no steady state at full speed ({result.Thermal!.NominalSteadyState.Reason ?? "thermal runaway"})";
        string exceeded = t.ExceededMaxJunction ? " EXCEEDS the maximum junction temperature;" : string.Empty;

        // Back to back at the nominal step, one inference of the batch follows another with no gap: this is the rate
        // the sustained one is measured against.
        double unthrottled = result.Performance.InferencesPerSecond;
        double sustained = t.SustainedInferencesPerSecond;
        string share = t.ThrottleEvents.IsEmpty ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({sustained / unthrottled:P1} of the unthrottled {unthrottled:0.#})");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thermal ({t.DurationS:0.#} s back to back at {t.AmbientC:0.#} C ambient): peak junction {t.PeakJunctionC:0.#} C (max {t.MaxJunctionC:0.#} C, throttle at {t.ThrottleC:0.#} C);{exceeded} {steady}, {throttle}, sustained {sustained:0.#} inferences/s over the last {result.Thermal!.EndTimeS / 2:0.#} s{share}"));
        if (!t.ThrottleEvents.IsEmpty)
        {
            stdout.WriteLine(DvfsSummary(t));
        }

        if (t.Reason is not null)
        {
            stdout.WriteLine($"thermal: {result.Thermal.Status}: {t.Reason}");
        }

    }

    /// <summary>
    /// The governor's steps: each change while there are few (a throttled run steps down once or twice), a count when
    /// it toggles around the threshold, and always the time spent at each operating point.
    /// </summary>
    private static string DvfsSummary(ThermalSummary t)
    {
        var events = t.ThrottleEvents;
        int down = events.Count(e => e.Throttle);
        string changes = events.Length <= 6
            ? string.Join(", ", events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.FromMhz:0.#} -> {e.ToMhz:0.#} MHz at {e.TimeS:0.##} s")))
            : $"{events.Length} step changes ({down} down, {events.Length - down} up)";
        string residency = string.Join(", ", t.TimeAtEachStep.Where(s => s.Seconds > 0)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.FrequencyMhz:0.#} MHz {s.Seconds:0.#} s")));
        return $"DVFS: {changes}; time at each step: {residency}";
    }

    private static string Share(double part, EnergyBreakdown total) =>
        total.TotalJ == 0 ? "0 %" : (part / total.TotalJ).ToString("P0", CultureInfo.InvariantCulture);
}
