using System.Collections.Immutable;

namespace SiliconSim.Simulation.Vectors;

/// <summary>The test vectors of one layer of the lowered graph: whole-layer tensors, then per tile and fold when asked.</summary>
/// <param name="Layer">The lowered graph's node name.</param>
/// <param name="OpType">The node's op type.</param>
/// <param name="Tensors">Every tensor, in a fixed order: inputs, operand, weights, bias, requantization, accumulators, outputs, tiles.</param>
public sealed record LayerVectors(string Layer, string OpType, ImmutableArray<VectorTensor> Tensors)
{
    /// <summary>The matrix view when the layer runs on the array (QLinearConv, QGemm), else null.</summary>
    public MatrixOperands? Matrix { get; init; }

    /// <summary>The tensor named <paramref name="name"/>; throws when there is none.</summary>
    public VectorTensor this[string name] => Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"layer '{Layer}' has no vector '{name}'");
}
