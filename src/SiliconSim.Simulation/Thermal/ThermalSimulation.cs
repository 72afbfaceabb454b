using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;

namespace SiliconSim.Simulation.Thermal;

/// <summary>
/// Runs a repeated inference through the thermal model with the DVFS governor in the loop. Power is piecewise constant
/// (one piece per trace segment, cut at governor ticks; one piece per control period at its mean power when an
/// inference is shorter than the period), each piece solved exactly by <see cref="ThermalModel"/>. At
/// step (f, V) relative to the nominal (f0, V0) a segment lasts f0/f as long and its dynamic energy scales by
/// (V/V0)², so its power by (V/V0)²·f/f0; leakage is the <see cref="LeakageModel"/>'s at the junction temperature and
/// the step's voltage (V/V0 times the nominal). Every control period the governor steps down one step when the junction
/// is at or above throttle_c and up one step when at or below throttle_c − hysteresis_c.
/// </summary>
public static class ThermalSimulation
{
    /// <param name="spec">The accelerator: its clock, voltage and thermal section.</param>
    /// <param name="leakage">The die's leakage (<see cref="LeakageModel.Of"/>), the one its energy was priced with.</param>
    /// <param name="trace">One inference's on-die power except leakage at the nominal point.</param>
    /// <param name="options">Workload, duration and sampling.</param>
    public static ThermalRunResult Run(AcceleratorSpec spec, LeakageModel leakage, InferencePowerTrace trace, ThermalRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Run(spec.Thermal, leakage, spec.ClockMhz, trace, options);
    }

    /// <param name="thermal">The thermal network and governor.</param>
    /// <param name="leakage">The die's leakage; its nominal voltage is the one at which the trace's energy was counted.</param>
    /// <param name="clockMhz">The nominal clock at which <paramref name="trace"/> was timed.</param>
    /// <param name="trace">One inference's on-die power except leakage at the nominal point.</param>
    /// <param name="options">Workload, duration and sampling.</param>
    public static ThermalRunResult Run(ThermalSpec thermal, LeakageModel leakage, double clockMhz, InferencePowerTrace trace, ThermalRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(thermal);
        ArgumentNullException.ThrowIfNull(leakage);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.DurationS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DurationS, "DurationS must be > 0");
        }

        bool fixedRate = options.Workload == ThermalWorkload.FixedRate;
        if (fixedRate && !(options.InferencesPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InferencesPerSecond, "FixedRate needs InferencesPerSecond > 0");
        }

        return new ThermalControlLoop(thermal, leakage, clockMhz, trace, options).Run();
    }
}
