using System.Collections.Immutable;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The thermal environment and throttling policy of the accelerator (config section <c>thermal:</c>): a compact RC
/// network in HotSpot's style with three nodes in a chain, junction → package/spreader → heatsink/board → ambient
/// (Huang et al., "HotSpot: a compact thermal modeling methodology", IEEE TVLSI 2006), temperature-dependent leakage
/// and a DVFS governor. Defaults and their reasons are in the parameter catalogue (<c>thermal.*</c>).
/// </summary>
public sealed partial record ThermalSpec
{
    /// <summary>Temperature of the surroundings, in °C; every node starts here.</summary>
    public double AmbientC { get; init; } = 45;

    /// <summary>Thermal resistance from the junction (die) node to the package/spreader node, K/W.</summary>
    public double JunctionToSpreaderKPerW { get; init; } = 1;

    /// <summary>Thermal resistance from the spreader node to the heatsink/board node, K/W.</summary>
    public double SpreaderToHeatsinkKPerW { get; init; } = 4;

    /// <summary>Thermal resistance from the heatsink/board node to ambient, K/W.</summary>
    public double HeatsinkToAmbientKPerW { get; init; } = 15;

    /// <summary>Heat capacity of the junction (die) node, J/K.</summary>
    public double JunctionCapacitanceJPerK { get; init; } = 0.01;

    /// <summary>Heat capacity of the package/spreader node, J/K.</summary>
    public double SpreaderCapacitanceJPerK { get; init; } = 1;

    /// <summary>Heat capacity of the heatsink/board node, J/K.</summary>
    public double HeatsinkCapacitanceJPerK { get; init; } = 20;

    /// <summary>Leakage power at <see cref="LeakageReferenceC"/> and the nominal supply voltage, W.</summary>
    public double LeakagePowerW { get; init; } = 0.05;

    /// <summary>The junction temperature at which <see cref="LeakagePowerW"/> holds, °C.</summary>
    public double LeakageReferenceC { get; init; } = 25;

    /// <summary>The junction temperature rise that doubles leakage, °C (k = ln 2 / this).</summary>
    public double LeakageDoublingC { get; init; } = 25;

    /// <summary>Dynamic power while no inference runs (clock tree, always-on logic) at the nominal point, W.</summary>
    public double IdlePowerW { get; init; }

    /// <summary>The highest junction temperature the part may reach, °C; a run above it is flagged.</summary>
    public double MaxJunctionC { get; init; } = 105;

    /// <summary>Junction temperature at or above which the governor steps down one DVFS step, °C.</summary>
    public double ThrottleC { get; init; } = 95;

    /// <summary>The governor steps back up only once the junction is at or below <c>ThrottleC − HysteresisC</c>, °C.</summary>
    public double HysteresisC { get; init; } = 5;

    /// <summary>How often the governor reads the junction temperature and may change step, ms.</summary>
    public double ControlPeriodMs { get; init; } = 10;

    /// <summary>
    /// Operating points from fastest to slowest; empty means only the nominal point (clock_mhz, supply_voltage_v), so
    /// no throttling is possible.
    /// </summary>
    public ImmutableArray<DvfsStep> DvfsSteps { get; init; } = [];

    /// <summary>The leakage temperature coefficient k in P_leak(T) = P_leak(T0)·exp(k·(T − T0)), 1/K.</summary>
    public double LeakageCoefficientPerK => Math.Log(2) / LeakageDoublingC;

    /// <summary>Junction-to-ambient resistance of the chain, K/W: the steady rise per watt dissipated in the die.</summary>
    public double JunctionToAmbientKPerW => JunctionToSpreaderKPerW + SpreaderToHeatsinkKPerW + HeatsinkToAmbientKPerW;

    /// <summary>The governor's steps: <see cref="DvfsSteps"/>, or the nominal point alone when none are listed.</summary>
    public ImmutableArray<DvfsStep> StepsOrNominal(double clockMhz, double supplyVoltageV) =>
        DvfsSteps.IsDefaultOrEmpty ? [new DvfsStep(clockMhz, supplyVoltageV)] : DvfsSteps;
}
