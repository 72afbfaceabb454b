using System.Collections.Immutable;

namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// The grid of a search's axes as value-index vectors ("genes"), with the points already visited or proposed, so no
/// generation proposes a point twice and none proposes a point the runnable predicate rejects.
/// </summary>
internal sealed class GeneSpace(ImmutableArray<int> lengths, Func<ImmutableArray<int>, bool> runnable)
{
    private readonly HashSet<long> _taken = [];
    private readonly HashSet<long> _rejected = [];

    public ImmutableArray<int> Lengths => lengths;

    /// <summary>The number of grid points.</summary>
    public long Count => lengths.Aggregate(1L, (n, l) => n * l);

    public void MarkVisited(ImmutableArray<int> genes) => _taken.Add(Flat(genes));

    /// <summary>Takes <paramref name="genes"/> when it is new and runnable (and remembers it), else returns false.</summary>
    public bool TryTake(ImmutableArray<int> genes)
    {
        long flat = Flat(genes);
        if (_taken.Contains(flat) || _rejected.Contains(flat))
        {
            return false;
        }

        if (!runnable(genes))
        {
            _rejected.Add(flat);
            return false;
        }

        _taken.Add(flat);
        return true;
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct new runnable points, uniform over the grid: a shuffled enumeration when
    /// the grid is small next to the request (rejection would stall near the end), rejection sampling otherwise.
    /// </summary>
    public ImmutableArray<ImmutableArray<int>> Sample(SearchRandom random, int count)
    {
        var chosen = ImmutableArray.CreateBuilder<ImmutableArray<int>>();
        long total = Count;
        if (total <= (4L * count) + 64)
        {
            long[] order = [.. Enumerable.Range(0, (int)total).Select(i => (long)i)];
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            foreach (long flat in order)
            {
                if (chosen.Count == count)
                {
                    break;
                }

                var genes = Genes(flat);
                if (TryTake(genes))
                {
                    chosen.Add(genes);
                }
            }

            return chosen.ToImmutable();
        }

        // 50 tries per point: a constraint would have to reject 98 % of the grid before a sample comes up short.
        for (long attempt = 0; chosen.Count < count && attempt < 50L * count; attempt++)
        {
            var genes = Genes((long)(random.NextUInt64() % (ulong)total));
            if (TryTake(genes))
            {
                chosen.Add(genes);
            }
        }

        return chosen.ToImmutable();
    }

    /// <summary>
    /// A Latin hypercube of <paramref name="count"/> samples over the axes' index ranges (McKay, Beckman and Conover
    /// 1979): each axis's range is cut into <paramref name="count"/> equal strata, each stratum used once, in an
    /// independent random order per axis; a sample lands on the value index its stratum covers. Repeats (an axis with
    /// fewer values than samples) and rejected points are dropped, so fewer points may come back.
    /// </summary>
    public ImmutableArray<ImmutableArray<int>> LatinHypercube(SearchRandom random, int count)
    {
        var columns = lengths.Select(length =>
        {
            int[] strata = [.. Enumerable.Range(0, count)];
            for (int i = count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (strata[i], strata[j]) = (strata[j], strata[i]);
            }

            return strata.Select(s => Math.Min(length - 1, (int)((s + random.NextDouble()) * length / count))).ToArray();
        }).ToArray();
        var chosen = ImmutableArray.CreateBuilder<ImmutableArray<int>>();
        for (int i = 0; i < count; i++)
        {
            ImmutableArray<int> genes = [.. columns.Select(c => c[i])];
            if (TryTake(genes))
            {
                chosen.Add(genes);
            }
        }

        return chosen.ToImmutable();
    }

    private long Flat(ImmutableArray<int> genes)
    {
        long flat = 0;
        for (int k = 0; k < lengths.Length; k++)
        {
            flat = (flat * lengths[k]) + genes[k];
        }

        return flat;
    }

    private ImmutableArray<int> Genes(long flat)
    {
        int[] genes = new int[lengths.Length];
        for (int k = lengths.Length - 1; k >= 0; k--)
        {
            genes[k] = (int)(flat % lengths[k]);
            flat /= lengths[k];
        }

        return [.. genes];
    }
}
