namespace SiliconSim.Cli.Validation;

/// <summary>The outcome of one test case, in the shape `validate --json` writes.</summary>
internal sealed record CaseResult(string Case, string Status, IReadOnlyList<OutputResult> Outputs, string? Message)
{
    /// <summary>The relative tolerance float outputs were held to (0: bit-exact).</summary>
    public double Rtol { get; init; }

    /// <summary>The absolute tolerance float outputs were held to (0: bit-exact).</summary>
    public double Atol { get; init; }

    /// <summary>With <c>--config</c>: the case's total cycles on the accelerator (one inference of the first data set).</summary>
    public long? TotalCycles { get; init; }

    /// <summary>With <c>--config</c>: DRAM bytes read and written by that run.</summary>
    public long? DramBytes { get; init; }

    /// <summary>With <c>--config</c>: energy per inference of that run, J (its energy over its batch).</summary>
    public double? EnergyPerInferenceJ { get; init; }

    public const string Pass = "pass";

    /// <summary>The outputs differ from the golden under the config's non-reference array numerics: the expected answer, not a failure.</summary>
    public const string Drift = "drift";
    public const string Fail = "fail";
    public const string Error = "error";

    public static CaseResult Failed(string name, string message) => new(name, Error, [], message);
}

/// <summary>One graph output compared over every data set of a case.</summary>
/// <param name="Top1Agreement">For classifier-shaped outputs ([N, C], C &gt; 1): rows whose arg-max agrees with the golden's.</param>
/// <param name="Rows">Rows in a classifier-shaped output.</param>
/// <param name="Accuracy">With labels: SiliconSim's top-1 accuracy on them.</param>
/// <param name="GoldenAccuracy">With labels: the golden output's top-1 accuracy.</param>
internal sealed record OutputResult(
    string Name,
    long Elements,
    long Mismatches,
    double MaxAbsDiff,
    long? Top1Agreement = null,
    long? Rows = null,
    double? Accuracy = null,
    double? GoldenAccuracy = null);
