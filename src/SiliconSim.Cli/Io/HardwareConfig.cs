using SiliconSim.Config;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Cli.Io;

/// <summary>
/// A loaded accelerator config as every command needs it: the spec, its energy table (resolved and checked against the
/// spec at load time, <see cref="ConfigLoadResult.EnergyTable"/>), the config file, and the source map that locates
/// problems the simulation finds later.
/// </summary>
internal sealed record HardwareConfig(ConfigLoadResult Loaded)
{
    public AcceleratorSpec Spec => Loaded.Spec!;

    public EnergyTableSpec EnergyTable => Loaded.EnergyTable!;

    /// <summary>The config file that was loaded (a preset's file for a preset name).</summary>
    public string ConfigPath => Loaded.ConfigPath!;

    /// <summary>A preset name or config file (the default preset when null) with <c>--set</c> overrides.</summary>
    /// <exception cref="UserInputException">every problem of the config, located, one per line.</exception>
    public static HardwareConfig Load(string? nameOrPath, IReadOnlyList<string>? overrides = null)
    {
        ConfigLoadResult loaded = PresetCatalog.Load(nameOrPath, overrides);
        return loaded.Success
            ? new HardwareConfig(loaded)
            : throw new UserInputException([.. loaded.Diagnostics.Select(d => d.ToString())]);
    }

    /// <summary>A problem the simulation found, located at the config field it names.</summary>
    public string Locate(Simulation.SimulationProblem problem) => Loaded.Diagnostic(problem.ConfigPath, problem.Message).ToString();
}
