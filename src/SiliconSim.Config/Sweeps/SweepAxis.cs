using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Sweeps;

/// <summary>One swept config field: its config path and the values it takes, in order, as YAML scalar text.</summary>
public sealed record SweepAxis(string Path, ImmutableArray<string> Values, SourceLocation Location);
