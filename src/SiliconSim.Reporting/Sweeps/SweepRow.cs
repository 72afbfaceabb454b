using System.Collections.Immutable;

namespace SiliconSim.Reporting.Sweeps;

/// <summary>
/// One point of a sweep as the tables show it: its index, its axis values (as YAML text), its model's name, its status
/// (<c>ok</c>, <c>infeasible</c>, <c>dropped</c> or <c>pending</c>) with the reason, and its metrics by column.
/// </summary>
public sealed record SweepRow(int Index, ImmutableArray<string> Values, string Model, string Status, string Reason, ImmutableDictionary<string, double?> Metrics);
