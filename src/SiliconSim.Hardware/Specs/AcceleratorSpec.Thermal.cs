using System.Collections.Immutable;

namespace SiliconSim.Hardware.Specs;

public sealed partial record AcceleratorSpec
{
    /// <summary>The thermal network, leakage and throttling policy (config section <c>thermal:</c>, all defaults when absent).</summary>
    public ThermalSpec Thermal { get; init; } = new();

    private static void ValidateThermal(ThermalSpec t, ImmutableArray<SpecProblem>.Builder problems, Action<string, double> range)
    {
        range("thermal.ambient_c", t.AmbientC);
        range("thermal.junction_to_spreader_k_per_w", t.JunctionToSpreaderKPerW);
        range("thermal.spreader_to_heatsink_k_per_w", t.SpreaderToHeatsinkKPerW);
        range("thermal.heatsink_to_ambient_k_per_w", t.HeatsinkToAmbientKPerW);
        range("thermal.junction_capacitance_j_per_k", t.JunctionCapacitanceJPerK);
        range("thermal.spreader_capacitance_j_per_k", t.SpreaderCapacitanceJPerK);
        range("thermal.heatsink_capacitance_j_per_k", t.HeatsinkCapacitanceJPerK);
        if (t.LeakagePowerW is double leakage)
        {
            range("thermal.leakage_power_w", leakage);
        }

        if (t.LeakageReferenceC is double reference)
        {
            range("thermal.leakage_reference_c", reference);
        }

        range("thermal.leakage_doubling_c", t.LeakageDoublingC);
        range("thermal.idle_power_w", t.IdlePowerW);
        range("thermal.max_junction_c", t.MaxJunctionC);
        range("thermal.throttle_c", t.ThrottleC);
        range("thermal.hysteresis_c", t.HysteresisC);
        range("thermal.control_period_ms", t.ControlPeriodMs);
        Add(problems, SpecRules.ThrottleBelowLimit(t.ThrottleC, t.MaxJunctionC));
        Add(problems, SpecRules.ReleaseAboveAmbient(t.ThrottleC, t.HysteresisC, t.AmbientC));
        Add(problems, SpecRules.LeakageReferenceNeedsPower(t.LeakagePowerW, t.LeakageReferenceC));

        ImmutableArray<DvfsStep> steps = t.DvfsSteps.IsDefault ? [] : t.DvfsSteps;
        for (int i = 0; i < steps.Length; i++)
        {
            string at = $"thermal.dvfs_steps[{i}].";
            range(at + "frequency_mhz", steps[i].FrequencyMhz);
            range(at + "voltage_v", steps[i].VoltageV);
            if (i > 0)
            {
                Add(problems, SpecRules.StepSlower(i, steps[i].FrequencyMhz, steps[i - 1].FrequencyMhz));
                Add(problems, SpecRules.StepVoltageNotHigher(i, steps[i].VoltageV, steps[i - 1].VoltageV));
            }
        }
    }
}
