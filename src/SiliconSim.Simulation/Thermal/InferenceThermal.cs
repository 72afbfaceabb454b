using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Thermal;

/// <summary>
/// Drives the thermal model with a timed and priced run, the one way <c>siliconsim run</c> and sweeps both do it, so a
/// sweep point's temperatures are the ones <c>run</c> reports for the same config: each layer's on-die energy except
/// leakage, always-on idle power included (the DRAM device dissipates its own energy off the die; leakage the thermal model adds at the junction's
/// temperature, with the same <see cref="Hardware.Energy.LeakageModel"/> the energy report priced it with) becomes a
/// constant-power segment of its cycles at the nominal clock.
/// </summary>
public static class InferenceThermal
{
    /// <summary>
    /// Back-to-back runs of <paramref name="result"/> (one run is the whole batch) for <paramref name="durationS"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="energy"/> does not say how it priced leakage (a report read
    /// from a file written before it did).</exception>
    /// <param name="sampleIntervalS">Time between recorded samples; 0 records one per control period (for charts).</param>
    public static ThermalRunResult BackToBack(AcceleratorSpec spec, SimulationResult result, EnergyReport energy, double durationS, double sampleIntervalS = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(energy);
        LeakagePricing leakage = energy.Leakage ?? throw new ArgumentException("the energy report does not say how it priced leakage", nameof(energy));
        var layers = result.Layers.Zip(energy.Layers, (l, e) => new LayerActivity(l.Name, l.TotalCycles, e.Energy.OnDieJ - e.Energy.LeakageJ));
        var trace = InferencePowerTrace.FromLayers(layers, result.ClockMhz);
        return ThermalSimulation.Run(spec, leakage.Model, trace, new ThermalRunOptions { Workload = ThermalWorkload.BackToBack, DurationS = durationS, SampleIntervalS = sampleIntervalS });
    }
}
