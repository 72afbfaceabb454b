using System.Collections.Immutable;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// One operator application. Inputs and outputs name graph values; an empty name is an omitted optional input or
/// output, as in ONNX.
/// </summary>
public sealed record Node(
    string Name,
    string OpType,
    string Domain,
    ImmutableArray<string> Inputs,
    ImmutableArray<string> Outputs,
    ImmutableDictionary<string, AttributeValue> Attributes)
{
    /// <summary>The domain as ONNX treats it: "" and "ai.onnx" are the same default domain.</summary>
    public string NormalizedDomain => Domain is "ai.onnx" ? string.Empty : Domain;

    /// <summary>"'name' (Op)" or "'name' (domain.Op)", for messages.</summary>
    public string Describe() => NormalizedDomain.Length == 0 ? $"'{Name}' ({OpType})" : $"'{Name}' ({NormalizedDomain}.{OpType})";
}
