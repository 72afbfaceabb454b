using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>The kinds of ONNX attribute values.</summary>
public enum AttributeKind
{
    Float,
    Int,
    String,
    Tensor,
    Graph,
    Floats,
    Ints,
    Strings,
    Tensors,
    Graphs,
    SparseTensor,
    SparseTensors,
    TypeProto,
    TypeProtos,
}

/// <summary>One attribute of a node. Exactly the member matching <see cref="Kind"/> is set.</summary>
public sealed record AttributeValue(AttributeKind Kind)
{
    public float Float { get; init; }

    public long Int { get; init; }

    public string? String { get; init; }

    public TensorValue? Tensor { get; init; }

    public ModelGraph? Graph { get; init; }

    public ImmutableArray<float> Floats { get; init; } = [];

    public ImmutableArray<long> Ints { get; init; } = [];

    public ImmutableArray<string> Strings { get; init; } = [];

    public ImmutableArray<TensorValue> Tensors { get; init; } = [];

    public ImmutableArray<ModelGraph> Graphs { get; init; } = [];
}
