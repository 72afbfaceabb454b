namespace SiliconSim.Numerics;

/// <summary>
/// How many threads a kernel may use (issue 18). Work is split into independent pieces, each writing its own slice of
/// the output and summing in the same order as the one-thread path, so the bits never depend on the thread count: the
/// split changes who computes a piece, never how.
/// </summary>
public readonly record struct Parallelism
{
    /// <param name="maxThreads">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is below 1.</exception>
    public Parallelism(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        MaxThreads = maxThreads;
    }

    /// <summary>One thread: the library option for callers that run many models side by side (sweeps, tests).</summary>
    public static Parallelism Single => new(1);

    /// <summary>Every core the process may use: the command-line default.</summary>
    public static Parallelism AllCores => new(Environment.ProcessorCount);

    /// <summary>The most threads a kernel may run at once; 1 for a default-constructed value.</summary>
    public int MaxThreads { get => field < 1 ? 1 : field; private init; }

    /// <summary>True when more than one thread may run.</summary>
    public bool IsParallel => MaxThreads > 1;

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, <paramref name="count"/>), on up to <see cref="MaxThreads"/>
    /// threads. Pieces must be independent (disjoint outputs, no shared accumulators); below
    /// <paramref name="minCountPerThread"/> pieces per thread the loop runs inline, since a thread switch costs more than
    /// a small piece.
    /// </summary>
    public void For(int count, Action<int> body, int minCountPerThread = 1)
    {
        ArgumentNullException.ThrowIfNull(body);
        int threads = Math.Min(MaxThreads, count / Math.Max(1, minCountPerThread));
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>
    /// Splits [0, <paramref name="count"/>) into at most <see cref="MaxThreads"/> contiguous ranges of at least
    /// <paramref name="minCountPerRange"/> and runs <paramref name="body"/>(start, end) for each: for loops whose pieces
    /// are too small to dispatch one by one (rows of a GEMM, channels of a depthwise conv).
    /// </summary>
    public void ForRanges(int count, Action<int, int> body, int minCountPerRange = 1)
    {
        ArgumentNullException.ThrowIfNull(body);
        int ranges = Math.Min(MaxThreads, count / Math.Max(1, minCountPerRange));
        if (ranges <= 1)
        {
            if (count > 0)
            {
                body(0, count);
            }

            return;
        }

        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges }, r =>
        {
            int start = (int)((long)count * r / ranges);
            int end = (int)((long)count * (r + 1) / ranges);
            body(start, end);
        });
    }
}
