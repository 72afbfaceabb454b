using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// A sweep's search settings (<c>search</c>, <c>seed</c>, <c>budget</c>, <c>population</c>, <c>objectives</c>): which
/// method explores the axes' grid, its seed, how many points it may evaluate and which metric columns it minimizes.
/// </summary>
/// <param name="Objectives">Metric column names, all minimized; the CLI checks them against the metric columns.</param>
/// <param name="ObjectivesLocation">Where the objectives are written (or the search key), for messages.</param>
public sealed record SweepSearch(SearchMethod Method, ulong Seed, int Budget, int Population, ImmutableArray<string> Objectives, SourceLocation ObjectivesLocation)
{
    /// <summary>
    /// The default objectives: latency and energy per inference, the two the sweep's Pareto table and chart already
    /// show, so a search's front is the same table as a grid's.
    /// </summary>
    public static ImmutableArray<string> DefaultObjectives { get; } = ["latency_s", "energy_j"];

    /// <summary>
    /// The default NSGA-II population: with budgets of a few hundred evaluations (10 % of a few thousand points) 24
    /// individuals leave about a dozen generations for selection to work, where Deb's 100 would leave two or three.
    /// </summary>
    public const int DefaultPopulation = 24;

    /// <summary>The default seed: a search is reproducible unless told otherwise.</summary>
    public const ulong DefaultSeed = 1;
}
