using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>--shard I/N</c>, or a Slurm array task's variables): its share of
/// a sweep's points. The runnable points are put in a fixed pseudo-random order (a SplitMix64 hash of each point's
/// index) and dealt round-robin, so every shard gets the same number of points to within one and a mix of cheap and
/// costly ones. Dealing in plain index order (index mod N) would hand shard 0 every point with the first value of the
/// fastest axis whenever N divides that axis's length, and the cost of a point follows its axis values (a 4x4 array
/// takes 16 times the cycles of a 16x16 one), so one shard would run all the slow points. The deal depends only on the
/// point set, so every shard, rerun and merge agrees on it without talking to the others.
/// </summary>
internal sealed record SweepShard(int Index, int Count)
{
    /// <summary>Reads <c>I/N</c> with 0 &lt;= I &lt; N.</summary>
    /// <exception cref="UserInputException">the text is not of that form.</exception>
    public static SweepShard Parse(string text, string option)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
        {
            return new SweepShard(i, n);
        }

        throw new UserInputException(option, $"must be I/N with 0 <= I < N (shard I of N, counted from 0), got '{text}'");
    }

    /// <summary>
    /// The shard a Slurm array task runs: <c>SLURM_ARRAY_TASK_ID</c> counted from <c>SLURM_ARRAY_TASK_MIN</c> (0 when
    /// unset), of <c>SLURM_ARRAY_TASK_COUNT</c> tasks (else <c>MAX - MIN + 1</c>); null outside an array task. This
    /// assumes a contiguous array (<c>--array=A-B</c>); the scripts <c>sweep submit</c> writes pass <c>--shard</c>.
    /// </summary>
    /// <exception cref="UserInputException">the variables are malformed or inconsistent.</exception>
    public static SweepShard? FromSlurm(Func<string, string?> environment)
    {
        if (environment("SLURM_ARRAY_TASK_ID") is not string id)
        {
            return null;
        }

        int Read(string name, string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new UserInputException(name, $"must be a non-negative integer to choose this task's shard, got '{text}'");
        int task = Read("SLURM_ARRAY_TASK_ID", id);
        int min = environment("SLURM_ARRAY_TASK_MIN") is string m ? Read("SLURM_ARRAY_TASK_MIN", m) : 0;
        int count = environment("SLURM_ARRAY_TASK_COUNT") is string c ? Read("SLURM_ARRAY_TASK_COUNT", c)
            : environment("SLURM_ARRAY_TASK_MAX") is string max ? Read("SLURM_ARRAY_TASK_MAX", max) - min + 1
            : throw new UserInputException("SLURM_ARRAY_TASK_COUNT", "is not set (nor SLURM_ARRAY_TASK_MAX), so the shard count is unknown; pass --shard I/N");
        if (task < min || task - min >= count)
        {
            throw new UserInputException("SLURM_ARRAY_TASK_ID", $"{task} is outside the array ({min} to {min + count - 1}); pass --shard I/N");
        }

        return new SweepShard(task - min, count);
    }

    /// <summary>This shard's points among <paramref name="points"/> (the runnable ones are dealt; dropped ones cost nothing and go to no shard).</summary>
    public IEnumerable<SweepPoint> Select(IEnumerable<SweepPoint> points)
    {
        var runnable = points.Where(p => p.Runnable).ToList();
        var mine = Deal(runnable.Select(p => p.Index)).ToHashSet();
        return runnable.Where(p => mine.Contains(p.Index));
    }

    /// <summary>This shard's share of <paramref name="indices"/>, in ascending order.</summary>
    public IEnumerable<int> Deal(IEnumerable<int> indices) =>
        indices.OrderBy(i => Hash((ulong)i)).ThenBy(i => i).Where((_, rank) => rank % Count == Index).Order();

    public override string ToString() => $"{Index}/{Count}";

    private static ulong Hash(ulong z)
    {
        // SplitMix64's finalizer: a bijection on 64 bits that scatters neighbouring indices.
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
