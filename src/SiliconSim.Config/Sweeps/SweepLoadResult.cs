using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Sweeps;

/// <summary>A loaded sweep file: the definition when valid, every diagnostic otherwise.</summary>
public sealed record SweepLoadResult(SweepDefinition? Definition, ImmutableArray<ConfigDiagnostic> Diagnostics)
{
    /// <summary>True when the sweep file is valid.</summary>
    public bool Success => Definition is not null;
}
