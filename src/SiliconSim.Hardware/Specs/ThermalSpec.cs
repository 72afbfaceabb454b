using System.Collections.Immutable;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The thermal environment and throttling policy of the accelerator (config section <c>thermal:</c>): a compact RC
/// network in HotSpot's style with three nodes in a chain, junction → package/spreader → heatsink/board → ambient
/// (Huang et al., "HotSpot: a compact thermal modeling methodology", IEEE TVLSI 2006), temperature-dependent leakage
/// and a DVFS governor. Defaults and their reasons are in the parameter catalogue (<c>thermal.*</c>), which the initializers read.
/// </summary>
public sealed partial record ThermalSpec
{
    /// <summary>Temperature of the surroundings, in °C; every node starts here.</summary>
    public double AmbientC { get; init; } = SpecParameters.Default<double>("thermal.ambient_c");

    /// <summary>Thermal resistance from the junction (die) node to the package/spreader node, K/W.</summary>
    public double JunctionToSpreaderKPerW { get; init; } = SpecParameters.Default<double>("thermal.junction_to_spreader_k_per_w");

    /// <summary>Thermal resistance from the spreader node to the heatsink/board node, K/W.</summary>
    public double SpreaderToHeatsinkKPerW { get; init; } = SpecParameters.Default<double>("thermal.spreader_to_heatsink_k_per_w");

    /// <summary>Thermal resistance from the heatsink/board node to ambient, K/W.</summary>
    public double HeatsinkToAmbientKPerW { get; init; } = SpecParameters.Default<double>("thermal.heatsink_to_ambient_k_per_w");

    /// <summary>Heat capacity of the junction (die) node, J/K.</summary>
    public double JunctionCapacitanceJPerK { get; init; } = SpecParameters.Default<double>("thermal.junction_capacitance_j_per_k");

    /// <summary>Heat capacity of the package/spreader node, J/K.</summary>
    public double SpreaderCapacitanceJPerK { get; init; } = SpecParameters.Default<double>("thermal.spreader_capacitance_j_per_k");

    /// <summary>Heat capacity of the heatsink/board node, J/K.</summary>
    public double HeatsinkCapacitanceJPerK { get; init; } = SpecParameters.Default<double>("thermal.heatsink_capacitance_j_per_k");

    /// <summary>
    /// The whole die's leakage power at <see cref="LeakageReferenceC"/> and the nominal supply voltage, W, replacing the
    /// energy table's per-KiB and per-PE leakage; null (the default) takes the table's. Either way there is one leakage
    /// figure (<see cref="Energy.LeakageModel.Of"/>).
    /// </summary>
    public double? LeakagePowerW { get; init; }

    /// <summary>
    /// The junction temperature at which <see cref="LeakagePowerW"/> holds, °C; only with it (the table's figures carry
    /// their own temperature). Null means the catalogue's default, <see cref="LeakageReferenceCOrDefault"/>.
    /// </summary>
    public double? LeakageReferenceC { get; init; }

    /// <summary>The junction temperature rise that doubles leakage, °C (k = ln 2 / this), whichever figure P0 is.</summary>
    public double LeakageDoublingC { get; init; } = SpecParameters.Default<double>("thermal.leakage_doubling_c");

    /// <summary>
    /// Always-on power at the nominal point, W: what clock gating leaves running (PLL, clock root, always-on control).
    /// It is drawn during inference as well as between inferences, so energy accounting counts it over every cycle of
    /// a run (<see cref="Energy.EnergyBreakdown.IdleJ"/>) and the thermal model between inferences too.
    /// </summary>
    public double IdlePowerW { get; init; } = SpecParameters.Default<double>("thermal.idle_power_w");

    /// <summary>The highest junction temperature the part may reach, °C; a run above it is flagged.</summary>
    public double MaxJunctionC { get; init; } = SpecParameters.Default<double>("thermal.max_junction_c");

    /// <summary>Junction temperature at or above which the governor steps down one DVFS step, °C.</summary>
    public double ThrottleC { get; init; } = SpecParameters.Default<double>("thermal.throttle_c");

    /// <summary>The governor steps back up only once the junction is at or below <c>ThrottleC − HysteresisC</c>, °C.</summary>
    public double HysteresisC { get; init; } = SpecParameters.Default<double>("thermal.hysteresis_c");

    /// <summary>How often the governor reads the junction temperature and may change step, ms.</summary>
    public double ControlPeriodMs { get; init; } = SpecParameters.Default<double>("thermal.control_period_ms");

    /// <summary>
    /// Operating points from fastest to slowest; empty means only the nominal point (clock_mhz, supply_voltage_v), so
    /// no throttling is possible.
    /// </summary>
    public ImmutableArray<DvfsStep> DvfsSteps { get; init; } = [];

    /// <summary><see cref="LeakageReferenceC"/>, or the catalogue's default when the config left it out.</summary>
    public double LeakageReferenceCOrDefault => LeakageReferenceC ?? SpecParameters.Default<double>("thermal.leakage_reference_c");

    /// <summary>Junction-to-ambient resistance of the chain, K/W: the steady rise per watt dissipated in the die.</summary>
    public double JunctionToAmbientKPerW => JunctionToSpreaderKPerW + SpreaderToHeatsinkKPerW + HeatsinkToAmbientKPerW;

    /// <summary>The governor's steps: <see cref="DvfsSteps"/>, or the nominal point alone when none are listed.</summary>
    public ImmutableArray<DvfsStep> StepsOrNominal(double clockMhz, double supplyVoltageV) =>
        DvfsSteps.IsDefaultOrEmpty ? [new DvfsStep(clockMhz, supplyVoltageV)] : DvfsSteps;
}
