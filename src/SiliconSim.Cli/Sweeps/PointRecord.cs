using System.Collections.Immutable;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// One point's stored outcome (<c>points/&lt;key&gt;.json</c>): status ok or infeasible, the reason, and the metrics by
/// column name. Stored points are reused by key on a rerun.
/// </summary>
internal sealed record PointRecord(string Key, string Status, string? Reason, ImmutableDictionary<string, double?> Metrics);
