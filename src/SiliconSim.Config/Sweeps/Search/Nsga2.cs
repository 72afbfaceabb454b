using System.Collections.Immutable;

namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002) over the axes' discrete value indices: survivors
/// are chosen by fast non-dominated sorting and crowding distance from parents and offspring together (elitism);
/// parents by binary tournament on (rank, crowding); offspring by uniform crossover (probability 0.9, Deb's usual
/// crossover rate) and per-axis mutation with probability 1/axes (Deb's 1/n), half to a neighbouring value (the axes are
/// ordered ranges, so a small step is the local move) and half to any value (a jump out of a local front). Infeasible
/// points rank behind every feasible one (Deb's constraint domination without violation degrees).
/// </summary>
internal static class Nsga2
{
    /// <summary>The population after the last of <paramref name="generations"/>: the first, then elitist selection with each next one.</summary>
    public static List<SearchOutcome> Population(IReadOnlyList<IReadOnlyList<SearchOutcome>> generations, int size)
    {
        var population = generations[0].ToList();
        for (int g = 1; g < generations.Count; g++)
        {
            population = Select([.. population, .. generations[g]], size);
        }

        return population;
    }

    /// <summary>Up to <paramref name="count"/> new runnable offspring of <paramref name="population"/>; topped up at random if the neighbourhood is used up.</summary>
    public static ImmutableArray<ImmutableArray<int>> Offspring(List<SearchOutcome> population, int count, GeneSpace space, SearchRandom random)
    {
        if (population.Count == 0)
        {
            return space.Sample(random, count);
        }

        var (rank, crowding) = RankAndCrowding(population);
        int Tournament()
        {
            int a = random.Next(population.Count);
            int b = random.Next(population.Count);
            return rank[a] != rank[b] ? (rank[a] < rank[b] ? a : b) : crowding[b] > crowding[a] ? b : a;
        }

        var lengths = space.Lengths;
        double mutation = 1.0 / lengths.Length;
        var children = ImmutableArray.CreateBuilder<ImmutableArray<int>>();

        // 100 tries per child: beyond that the front's neighbourhood is visited and random points explore instead.
        for (int attempt = 0; children.Count < count && attempt < 100 * count; attempt++)
        {
            var first = population[Tournament()].Genes;
            var second = population[Tournament()].Genes;
            int[] child = [.. first];
            if (random.NextDouble() < 0.9)
            {
                for (int k = 0; k < child.Length; k++)
                {
                    child[k] = random.Next(2) == 0 ? first[k] : second[k];
                }
            }

            for (int k = 0; k < child.Length; k++)
            {
                if (lengths[k] > 1 && random.NextDouble() < mutation)
                {
                    child[k] = random.Next(2) == 0 ? Neighbour(child[k], lengths[k], random) : Other(child[k], lengths[k], random);
                }
            }

            ImmutableArray<int> genes = [.. child];
            if (space.TryTake(genes))
            {
                children.Add(genes);
            }
        }

        return children.Count < count ? [.. children, .. space.Sample(random, count - children.Count)] : children.ToImmutable();
    }

    /// <summary>The best <paramref name="size"/> of <paramref name="all"/> by rank, then crowding (larger first), then position.</summary>
    public static List<SearchOutcome> Select(List<SearchOutcome> all, int size)
    {
        var (rank, crowding) = RankAndCrowding(all);
        return [.. Enumerable.Range(0, all.Count).OrderBy(i => rank[i]).ThenByDescending(i => crowding[i]).ThenBy(i => i).Take(size).Select(i => all[i])];
    }

    /// <summary>Each point's non-dominated rank (0 = the front) and its crowding distance within its rank.</summary>
    public static (int[] Rank, double[] Crowding) RankAndCrowding(IReadOnlyList<SearchOutcome> points)
    {
        int n = points.Count;
        int[] rank = new int[n];
        double[] crowding = new double[n];
        var feasible = Enumerable.Range(0, n).Where(i => points[i].Objectives is { } o && o.All(double.IsFinite)).ToList();
        var fronts = FastNonDominatedSort(feasible, i => points[i].Objectives!.Value);
        for (int f = 0; f < fronts.Count; f++)
        {
            foreach (int i in fronts[f])
            {
                rank[i] = f;
            }

            Crowd(fronts[f], i => points[i].Objectives!.Value, crowding);
        }

        foreach (int i in Enumerable.Range(0, n).Except(feasible))
        {
            rank[i] = fronts.Count;
        }

        return (rank, crowding);
    }

    /// <summary>Deb's fast non-dominated sort: the fronts in order, each as point positions in ascending order.</summary>
    private static List<List<int>> FastNonDominatedSort(List<int> members, Func<int, ImmutableArray<double>> objectives)
    {
        var dominated = members.ToDictionary(i => i, _ => new List<int>());
        var dominators = members.ToDictionary(i => i, _ => 0);
        foreach (int p in members)
        {
            foreach (int q in members)
            {
                if (Dominates(objectives(p), objectives(q)))
                {
                    dominated[p].Add(q);
                }
                else if (Dominates(objectives(q), objectives(p)))
                {
                    dominators[p]++;
                }
            }
        }

        var fronts = new List<List<int>>();
        var current = members.Where(p => dominators[p] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (int p in current)
            {
                foreach (int q in dominated[p])
                {
                    if (--dominators[q] == 0)
                    {
                        next.Add(q);
                    }
                }
            }

            next.Sort();
            current = next;
        }

        return fronts;
    }

    /// <summary>Crowding distance: per objective, the normalized gap between a point's neighbours; the extremes are infinite.</summary>
    private static void Crowd(List<int> front, Func<int, ImmutableArray<double>> objectives, double[] crowding)
    {
        int m = objectives(front[0]).Length;
        for (int k = 0; k < m; k++)
        {
            var sorted = front.OrderBy(i => objectives(i)[k]).ThenBy(i => i).ToList();
            double low = objectives(sorted[0])[k];
            double high = objectives(sorted[^1])[k];
            crowding[sorted[0]] = double.PositiveInfinity;
            crowding[sorted[^1]] = double.PositiveInfinity;
            if (high > low)
            {
                for (int j = 1; j < sorted.Count - 1; j++)
                {
                    crowding[sorted[j]] += (objectives(sorted[j + 1])[k] - objectives(sorted[j - 1])[k]) / (high - low);
                }
            }
        }
    }

    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(ImmutableArray<double> a, ImmutableArray<double> b)
    {
        bool better = false;
        for (int k = 0; k < a.Length; k++)
        {
            if (a[k] > b[k])
            {
                return false;
            }

            better |= a[k] < b[k];
        }

        return better;
    }

    private static int Neighbour(int at, int length, SearchRandom random) =>
        at == 0 ? 1 : at == length - 1 ? length - 2 : at + (random.Next(2) == 0 ? -1 : 1);

    private static int Other(int at, int length, SearchRandom random)
    {
        int pick = random.Next(length - 1);
        return pick >= at ? pick + 1 : pick;
    }
}
