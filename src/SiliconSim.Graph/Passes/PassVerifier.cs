using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// Runs <see cref="GraphVerifier"/> after every pass of a lowering and throws <see cref="PassVerificationException"/>
/// naming the pass when it finds a problem the graph did not have before that pass. Always on: the check is linear in
/// the graph and the passes themselves are not cheaper. Problems the imported model already had (a dead node or a
/// stale value_info in a user's file) are not a pass's bug, so they are the baseline, not a failure; the tests assert
/// that the models they load have none.
/// </summary>
internal sealed class PassVerifier
{
    private readonly ILoweringObserver? _observer;
    private HashSet<(GraphRule, string, string)> _known;
    private readonly HashSet<(GraphRule, string, string)> _importedGraph;

    public PassVerifier(GraphEditor graph, ILoweringObserver? observer)
    {
        _observer = observer;
        _known = Keys(GraphVerifier.Verify(graph));
        _importedGraph = Keys(GraphVerifier.Verify(graph.Source));
    }

    /// <summary>Verifies <paramref name="graph"/> as <paramref name="pass"/> left it.</summary>
    public void After(string pass, GraphEditor graph)
    {
        _known = Fail(pass, GraphVerifier.Verify(graph), _known);
        _observer?.PassApplied(pass, graph);
    }

    /// <summary>Verifies the graph the lowering returns: <see cref="GraphEditor.ToGraph"/> must bring its value_info up
    /// to date and keep every other invariant.</summary>
    public ModelGraph Finish(GraphEditor graph)
    {
        ModelGraph result = graph.ToGraph();
        Fail("to-graph", GraphVerifier.Verify(result), _importedGraph);
        _observer?.PassApplied("to-graph", graph);
        return result;
    }

    private static HashSet<(GraphRule, string, string)> Fail(string pass, IReadOnlyList<GraphProblem> problems, HashSet<(GraphRule, string, string)> known)
    {
        // Node indices shift as passes remove nodes, so problems are matched by rule, node and value, not by message.
        var fresh = problems.Where(p => !known.Contains((p.Rule, p.Node, p.Value))).ToList();
        if (fresh.Count > 0)
        {
            throw new PassVerificationException(pass, fresh);
        }

        return Keys(problems);
    }

    private static HashSet<(GraphRule, string, string)> Keys(IReadOnlyList<GraphProblem> problems) =>
        [.. problems.Select(p => (p.Rule, p.Node, p.Value))];
}
