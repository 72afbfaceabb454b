using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// An ONNX graph after import: nodes in a valid topological order, constant initializers, declared inputs and outputs,
/// and the opset of every domain in scope. Immutable: passes return a new graph.
/// </summary>
public sealed record ModelGraph(
    string Name,
    ImmutableArray<Node> Nodes,
    ImmutableDictionary<string, TensorValue> Initializers,
    ImmutableArray<ValueInfo> Inputs,
    ImmutableArray<ValueInfo> Outputs,
    ImmutableDictionary<string, ValueInfo> ValueInfos,
    ImmutableDictionary<string, int> Opsets)
{
    /// <summary>The model's producer_name ("pytorch", "onnx.quantize", "backend-test", ...): it tells where a test
    /// case's expected outputs came from.</summary>
    public string ProducerName { get; init; } = string.Empty;

    /// <summary>The opset version that applies to <paramref name="domain"/> ("" for the default domain).</summary>
    public int OpsetOf(string domain)
    {
        // SiliconSim's own nodes (ORT-internal kernels such as siliconsim.NchwcConv) keep the semantics of the ONNX op
        // they replace, so they answer to the default domain's opset.
        string key = domain is "ai.onnx" or "siliconsim" ? string.Empty : domain;
        return Opsets.TryGetValue(key, out int v) ? v : (key == "com.microsoft" ? 1 : 0);
    }

    /// <summary>The inputs that are real runtime inputs (ONNX lets initializers be listed as inputs too).</summary>
    public IEnumerable<ValueInfo> RuntimeInputs => Inputs.Where(i => !Initializers.ContainsKey(i.Name));
}
