using System.Collections.Immutable;

namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// One evaluated point of a search: its value index on every axis and its objective values (all minimized), or null
/// when it has none (infeasible, or a metric undefined), which ranks it behind every feasible point.
/// </summary>
public sealed record SearchOutcome(ImmutableArray<int> Genes, ImmutableArray<double>? Objectives);
