namespace SiliconSim.Cli.Sweeps;

/// <summary>Run settings of one sweep: where to write, how many workers, the memory budget, the shard to run.</summary>
internal sealed record SweepOptions(string SpecPath, string OutDir, int Jobs)
{
    /// <summary>The memory budget each model's lowering and execution must stay within (<c>--max-memory-gib</c>).</summary>
    public Numerics.MemoryBudget MemoryBudget { get; init; } = Numerics.MemoryBudget.Default;

    /// <summary>The share of the points to run (<c>--shard</c> or a Slurm array task); null: every point, then the tables.</summary>
    public SweepShard? Shard { get; init; }
}
