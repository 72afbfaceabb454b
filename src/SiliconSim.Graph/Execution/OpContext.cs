using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Execution;

/// <summary>What an operator implementation sees: its node, the opset in force and its input values.</summary>
public sealed class OpContext
{
    private readonly IReadOnlyList<TensorValue?> _inputs;
    private readonly Func<string, bool> _isConstant;

    /// <param name="isConstant">Whether a value name is a constant initializer; ORT picks some kernels by it (pre-packed
    /// GEMM weights), so the same bits need the same knowledge. Null means nothing is constant.</param>
    /// <param name="options">Run settings; null means <see cref="ExecutionOptions.Default"/>.</param>
    public OpContext(Node node, int opset, IReadOnlyList<TensorValue?> inputs, Func<string, bool>? isConstant = null, ExecutionOptions? options = null)
    {
        Node = node;
        Opset = opset;
        _inputs = inputs;
        _isConstant = isConstant ?? (_ => false);
        Options = options ?? ExecutionOptions.Default;
    }

    /// <summary>The run settings.</summary>
    public ExecutionOptions Options { get; }

    /// <summary>The integer matrix unit's arithmetic (<see cref="ExecutionOptions.MatrixNumerics"/>).</summary>
    public MatrixNumerics MatrixNumerics => Options.MatrixNumerics;

    /// <summary>True when input <paramref name="index"/> is a constant initializer of the graph.</summary>
    public bool IsConstant(int index) => index < Node.Inputs.Length && Node.Inputs[index].Length > 0 && _isConstant(Node.Inputs[index]);

    public Node Node { get; }

    /// <summary>The opset version of the node's domain.</summary>
    public int Opset { get; }

    /// <summary>How many input slots the node has (omitted optional ones included).</summary>
    public int InputCount => _inputs.Count;

    /// <summary>A required input.</summary>
    /// <exception cref="OpException">the input is absent.</exception>
    public TensorValue Input(int index) =>
        OptionalInput(index) ?? throw new OpException($"input {index} is required but missing");

    /// <summary>An optional input, or null when omitted.</summary>
    public TensorValue? OptionalInput(int index) => index < _inputs.Count ? _inputs[index] : null;

    public bool HasAttribute(string name) => Node.Attributes.ContainsKey(name);

    public long Int(string name, long defaultValue) => Get(name, AttributeKind.Int)?.Int ?? defaultValue;

    public long Int(string name) => Required(name, AttributeKind.Int).Int;

    public float Float(string name, float defaultValue) => Get(name, AttributeKind.Float)?.Float ?? defaultValue;

    public string String(string name, string defaultValue) => Get(name, AttributeKind.String)?.String ?? defaultValue;

    public ImmutableArray<long> Ints(string name, ImmutableArray<long> defaultValue) => Get(name, AttributeKind.Ints)?.Ints ?? defaultValue;

    /// <summary>An ints attribute, or null when absent.</summary>
    public long[]? IntsOrNull(string name) => Get(name, AttributeKind.Ints) is { } a ? [.. a.Ints] : null;

    public ImmutableArray<float> Floats(string name, ImmutableArray<float> defaultValue) => Get(name, AttributeKind.Floats)?.Floats ?? defaultValue;

    public TensorValue? Tensor(string name) => Get(name, AttributeKind.Tensor)?.Tensor;

    private AttributeValue Required(string name, AttributeKind kind) =>
        Get(name, kind) ?? throw new OpException($"attribute '{name}' is required");

    private AttributeValue? Get(string name, AttributeKind kind)
    {
        if (!Node.Attributes.TryGetValue(name, out AttributeValue? value))
        {
            return null;
        }

        // ONNX lets an INTS attribute stand in for nothing else; a kind mismatch is a malformed model.
        return value.Kind == kind ? value : throw new OpException($"attribute '{name}' should be {kind} but is {value.Kind}");
    }
}
