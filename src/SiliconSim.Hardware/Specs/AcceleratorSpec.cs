using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The immutable description of one accelerator, built from a YAML config (STYLE D3). Variants are
/// <c>spec with { ... }</c>; only specs that passed validation reach the simulation.
/// </summary>
public sealed partial record AcceleratorSpec
{
    /// <summary>A short name for tables and reports (the preset's file name by default).</summary>
    public required string Name { get; init; }

    /// <summary>Core clock in MHz; every cycle count is converted to time with it.</summary>
    public required double ClockMhz { get; init; }

    /// <summary>Supply voltage in volts (energy scales with V^2).</summary>
    public required double SupplyVoltageV { get; init; }

    /// <summary>Technology node in nm (energy tables are scaled from their published node to this one).</summary>
    public required int TechnologyNodeNm { get; init; }

    public required ArraySpec Array { get; init; }

    public required VectorUnitSpec VectorUnit { get; init; }

    public required MemorySpec Memory { get; init; }

    /// <summary>The energy table (a name in <c>configs/energy</c> or a path) that prices this accelerator's actions.</summary>
    public string EnergyTable { get; init; } = SpecParameters.Default<string>("energy");

    /// <summary>Which fold-level cycle model to use.</summary>
    public TimingModel Timing { get; init; } = SpecParameters.Default<TimingModel>("timing");

    /// <summary>Seconds per cycle at <see cref="ClockMhz"/>.</summary>
    public double CycleSeconds => 1e-6 / ClockMhz;
}
