using System.Collections.Immutable;

namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// The points of each generation of a search, as value indices on the axes. A generation is a function of the seed and
/// the outcomes of the generations before it, so every shard, rerun and merge that has those outcomes computes the same
/// points; a generation is a barrier (its points must all be stored before the next is known). Random and Latin
/// hypercube searches are one generation; NSGA-II (<see cref="Nsga2"/>) is an initial Latin hypercube population and
/// then one generation of offspring per step until the budget is spent. Candidates that the predicate calls not
/// runnable (a failing constraint or invalid config) are skipped without spending budget.
/// </summary>
public static class SearchPlanner
{
    /// <summary>
    /// Generation <c>previous.Count</c>'s points, given the outcomes of every earlier generation in order; empty when
    /// the search is over (budget spent, or no unvisited runnable point found).
    /// </summary>
    public static ImmutableArray<ImmutableArray<int>> Generation(SweepSearch search, ImmutableArray<int> axisLengths, IReadOnlyList<IReadOnlyList<SearchOutcome>> previous, Func<ImmutableArray<int>, bool> runnable)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(runnable);
        int generation = previous.Count;
        int left = search.Budget - previous.Sum(p => p.Count);
        if (left <= 0)
        {
            return [];
        }

        var space = new GeneSpace(axisLengths, runnable);
        foreach (SearchOutcome o in previous.SelectMany(p => p))
        {
            space.MarkVisited(o.Genes);
        }

        var random = SearchRandom.For(search.Seed, generation);
        switch (search.Method)
        {
            case SearchMethod.Random:
                return generation == 0 ? space.Sample(random, left) : [];
            case SearchMethod.LatinHypercube:
                return generation == 0 ? space.LatinHypercube(random, left) : [];
            default:
                int size = Math.Min(search.Population, left);
                if (generation == 0)
                {
                    var initial = space.LatinHypercube(random, size);
                    return initial.Length < size ? [.. initial, .. space.Sample(random, size - initial.Length)] : initial;
                }

                return Nsga2.Offspring(Nsga2.Population(previous, search.Population), size, space, random);
        }
    }
}
