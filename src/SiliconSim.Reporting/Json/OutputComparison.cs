namespace SiliconSim.Reporting.Json;

/// <summary>One output compared with its golden.</summary>
public sealed record OutputComparison
{
    public required string Name { get; init; }

    public required long Elements { get; init; }

    public required long Mismatches { get; init; }

    public required double MaxAbsDiff { get; init; }

    /// <summary>Rows whose arg-max equals the golden's, for [N, C] outputs; null otherwise.</summary>
    public int? Top1Agreement { get; init; }

    public int? Rows { get; init; }

    /// <summary>Top-1 accuracy against labels, when labels were given.</summary>
    public double? Accuracy { get; init; }

    public double? GoldenAccuracy { get; init; }
}
