namespace SiliconSim.Simulation.Memory;

/// <summary>
/// A multiset of tile sizes as (value, count) pairs in ascending value order: the tiles of a grid take only a few
/// distinct sizes (interior and edges), so burst-rounded sums over millions of tiles cost a handful of terms.
/// </summary>
internal sealed class Histogram
{
    private readonly SortedDictionary<long, long> _counts = [];

    public static Histogram Single(long value, long count = 1)
    {
        var h = new Histogram();
        h.Add(value, count);
        return h;
    }

    /// <summary>Blocks of <paramref name="block"/> over <paramref name="extent"/>: full blocks plus one remainder block.</summary>
    public static Histogram Blocks(long extent, long block)
    {
        var h = new Histogram();
        h.Add(block, extent / block);
        h.Add(extent % block, 1);
        return h;
    }

    public IEnumerable<KeyValuePair<long, long>> Entries => _counts;

    public long Max => _counts.Count == 0 ? 0 : _counts.Keys.Max();

    public long TotalCount => _counts.Values.Sum();

    public void Add(long value, long count)
    {
        if (value <= 0 || count <= 0)
        {
            return;
        }

        _counts[value] = _counts.GetValueOrDefault(value) + count;
    }

    /// <summary>The sizes of a grid whose tiles are this axis's tiles x the other's: values multiply, counts multiply.</summary>
    public Histogram Times(Histogram other)
    {
        var h = new Histogram();
        foreach (var (v1, c1) in _counts)
        {
            foreach (var (v2, c2) in other._counts)
            {
                h.Add(v1 * v2, c1 * c2);
            }
        }

        return h;
    }

    /// <summary>Σ count x f(value).</summary>
    public long Sum(Func<long, long> f)
    {
        long s = 0;
        foreach (var (v, c) in _counts)
        {
            s += c * f(v);
        }

        return s;
    }
}
