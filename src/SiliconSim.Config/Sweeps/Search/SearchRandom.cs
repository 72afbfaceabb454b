namespace SiliconSim.Config.Sweeps.Search;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a small generator whose stream is fixed by its seed on every platform and
/// .NET version (System.Random's seeded stream is not promised to stay the same), so a search's points are a function
/// of its seed alone.
/// </summary>
internal sealed class SearchRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for <paramref name="stream"/> (a generation) of a search seeded with <paramref name="seed"/>.</summary>
    public static SearchRandom For(ulong seed, int stream) => new(Mix(seed ^ Mix((ulong)stream + 0x632BE59BD9B4E019UL)));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="count"/>) (Lemire's multiply-shift; bias below 2^-32 for counts under 2^32).</summary>
    public int Next(int count) => (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
