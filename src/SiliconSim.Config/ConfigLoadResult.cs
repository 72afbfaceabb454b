using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config;

/// <summary>
/// What loading a config gives: the resolved config (the spec and the energy table it names, loaded and checked to
/// price it) when the config is valid, every diagnostic otherwise, and the source map that lets later checks point at
/// the YAML (<see cref="Diagnostic"/>).
/// </summary>
public sealed record ConfigLoadResult(AcceleratorSpec? Spec, ImmutableArray<ConfigDiagnostic> Diagnostics, SourceMap SourceMap)
{
    /// <summary>
    /// The energy table the config's <c>energy:</c> names (a relative path taken from the folder of the file in which
    /// the key was written), checked to price <see cref="Spec"/> (<see cref="EnergyModel.Validate"/>); null unless
    /// <see cref="Success"/>.
    /// </summary>
    public EnergyTableSpec? EnergyTable { get; init; }

    /// <summary>The full path of the energy table file <see cref="EnergyTable"/> was read from; null unless <see cref="Success"/>.</summary>
    public string? EnergyTablePath { get; init; }

    /// <summary>The config file that was loaded (a preset's file for a preset name, as resolved); null for text.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>True when the config is valid: <see cref="Spec"/> and <see cref="EnergyTable"/> are both set.</summary>
    public bool Success => Spec is not null && EnergyTable is not null;

    /// <summary>
    /// A diagnostic for a problem found after loading (e.g. by the simulation), located at the field's YAML line:
    /// <c>result.Diagnostic("memory.buffers[0].capacity_kib", "too small for one 32x32 tile (needs 2 KiB)")</c>.
    /// </summary>
    public ConfigDiagnostic Diagnostic(string path, string message) => SourceMap.Diagnostic(path, message);

    /// <summary>The spec, or an exception listing every diagnostic (for tests and callers that have checked already).</summary>
    public AcceleratorSpec SpecOrThrow() =>
        Success ? Spec! : throw new InvalidOperationException("invalid config:" + Environment.NewLine + string.Join(Environment.NewLine, Diagnostics));
}
