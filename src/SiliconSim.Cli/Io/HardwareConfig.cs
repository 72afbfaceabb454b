using SiliconSim.Config;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Cli.Io;

/// <summary>
/// A loaded accelerator config as every command needs it: the spec, its energy table (a path relative to the config's
/// folder, or a table name) checked against the spec, the config file, and the source map that locates later problems.
/// </summary>
internal sealed record HardwareConfig(ConfigLoadResult Loaded, string ConfigPath, EnergyTableSpec EnergyTable)
{
    public AcceleratorSpec Spec => Loaded.Spec!;

    /// <summary>A preset name or config file (the default preset when null) with <c>--set</c> overrides.</summary>
    /// <exception cref="UserInputException">every problem of the config, located, one per line.</exception>
    public static HardwareConfig Load(string? nameOrPath, IReadOnlyList<string>? overrides = null)
    {
        ConfigLoadResult loaded = PresetCatalog.Load(nameOrPath, overrides);
        if (!loaded.Success)
        {
            throw new UserInputException([.. loaded.Diagnostics.Select(d => d.ToString())]);
        }

        string configPath = PresetCatalog.Resolve(nameOrPath ?? PresetCatalog.DefaultPreset)!;
        return new HardwareConfig(loaded, configPath, LoadEnergyTable(loaded.Spec!, configPath));
    }

    /// <summary>The energy table the config names (a path relative to the config's folder, or a table name).</summary>
    private static EnergyTableSpec LoadEnergyTable(AcceleratorSpec spec, string configPath)
    {
        EnergyTableLoadResult table = EnergyTableLoader.Load(spec.EnergyTable, Path.GetDirectoryName(Path.GetFullPath(configPath)));
        if (!table.Success)
        {
            throw new UserInputException(spec.EnergyTable, string.Join("; ", table.Diagnostics.Select(d => d.ToString())));
        }

        // A table that loads may still lack a price this accelerator needs (a MAC pair its array multiplies, its DRAM).
        var problems = EnergyModel.Validate(table.Table!, spec);
        return problems.IsEmpty
            ? table.Table!
            : throw new UserInputException(configPath, string.Join("; ", problems));
    }

    /// <summary>A problem the simulation found, located at the config field it names.</summary>
    public string Locate(Simulation.SimulationProblem problem) => Loaded.Diagnostic(problem.ConfigPath, problem.Message).ToString();
}
