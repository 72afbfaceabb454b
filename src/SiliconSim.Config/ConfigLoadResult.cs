using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config;

/// <summary>
/// What loading a config gives: the spec when the config is valid, every diagnostic otherwise, and the source map that
/// lets later checks point at the YAML (<see cref="Diagnostic"/>).
/// </summary>
public sealed record ConfigLoadResult(AcceleratorSpec? Spec, ImmutableArray<ConfigDiagnostic> Diagnostics, SourceMap SourceMap)
{
    /// <summary>True when the config is valid and <see cref="Spec"/> is set.</summary>
    public bool Success => Spec is not null;

    /// <summary>
    /// A diagnostic for a problem found after loading (e.g. by the simulation), located at the field's YAML line:
    /// <c>result.Diagnostic("memory.buffers[0].capacity_kib", "too small for one 32x32 tile (needs 2 KiB)")</c>.
    /// </summary>
    public ConfigDiagnostic Diagnostic(string path, string message) => SourceMap.Diagnostic(path, message);

    /// <summary>The spec, or an exception listing every diagnostic (for tests and callers that have checked already).</summary>
    public AcceleratorSpec SpecOrThrow() =>
        Spec ?? throw new InvalidOperationException("invalid config:" + Environment.NewLine + string.Join(Environment.NewLine, Diagnostics));
}
