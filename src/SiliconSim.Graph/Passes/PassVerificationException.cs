using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>A lowering pass left a graph that breaks an invariant it was given intact: a bug in that pass. The message
/// names the pass and lists every problem <see cref="GraphVerifier"/> found.</summary>
public sealed class PassVerificationException : Exception
{
    public PassVerificationException(string pass, IReadOnlyList<GraphProblem> problems)
        : base(Describe(pass, problems))
    {
        Pass = pass;
        Problems = problems;
    }

    public PassVerificationException(string message)
        : base(message)
    {
    }

    public PassVerificationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PassVerificationException()
    {
    }

    /// <summary>The pass the problems appeared after.</summary>
    public string Pass { get; } = string.Empty;

    public IReadOnlyList<GraphProblem> Problems { get; } = [];

    private static string Describe(string pass, IReadOnlyList<GraphProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"pass '{pass}' left {problems.Count} graph problem(s):{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", problems.Select(p => p.ToString()));
    }
}
