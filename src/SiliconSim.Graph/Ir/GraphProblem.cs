namespace SiliconSim.Graph.Ir;

/// <summary>
/// One broken invariant found by <see cref="GraphVerifier"/>, located by the node (as <see cref="Node.Describe"/>
/// writes it, or empty when the problem belongs to the graph's interface) and the value it concerns.
/// </summary>
public sealed record GraphProblem(GraphRule Rule, string Node, string Value, string Message)
{
    public override string ToString() => $"{Rule}: {Message}";
}
