using System.Collections.Immutable;
using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Quantization;

/// <summary>A mutable node for the quantizers, which rename inputs and outputs in place as ORT's quantizer does.</summary>
internal sealed class WorkNode(string name, string opType, string domain, IEnumerable<string> inputs, IEnumerable<string> outputs, IDictionary<string, AttributeValue>? attributes = null)
{
    public string Name { get; set; } = name;

    public string OpType { get; } = opType;

    public string Domain { get; } = domain;

    public List<string> Inputs { get; } = [.. inputs];

    public List<string> Outputs { get; } = [.. outputs];

    public Dictionary<string, AttributeValue> Attributes { get; } = attributes is null ? new(StringComparer.Ordinal) : new(attributes, StringComparer.Ordinal);

    public static WorkNode From(Node n) => new(n.Name, n.OpType, n.NormalizedDomain, n.Inputs, n.Outputs, n.Attributes);

    public Node ToNode() => new(Name, OpType, Domain, [.. Inputs], [.. Outputs], Attributes.ToImmutableDictionary(StringComparer.Ordinal));

    public long IntAttribute(string attr, long fallback) => Attributes.TryGetValue(attr, out var a) ? a.Int : fallback;

    public float FloatAttribute(string attr, float fallback) => Attributes.TryGetValue(attr, out var a) ? a.Float : fallback;
}
