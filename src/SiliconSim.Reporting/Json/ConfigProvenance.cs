using System.Collections.Immutable;

namespace SiliconSim.Reporting.Json;

/// <summary>The accelerator config a run used: its path, SHA-256 (hex) and the <c>--set</c> overrides laid over it, in order.</summary>
internal sealed record ConfigProvenance(string Path, string Sha256, ImmutableArray<string> Overrides);
