namespace SiliconSim.Graph.Execution;

/// <summary>A node SiliconSim cannot run: the op and domain it uses, and where.</summary>
public sealed record UnsupportedNode(string NodeName, string OpType, string Domain)
{
    public override string ToString() => Domain.Length == 0
        ? $"unsupported op '{OpType}' at node '{NodeName}'"
        : $"unsupported op '{OpType}' (domain '{Domain}') at node '{NodeName}'";

    /// <summary>One line naming every unsupported node (the first few when there are many).</summary>
    public static string Describe(IReadOnlyList<UnsupportedNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        string head = string.Join("; ", nodes.Take(3));
        return nodes.Count > 3 ? $"{head}; and {nodes.Count - 3} more" : head;
    }
}
