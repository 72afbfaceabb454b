using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// An observing <see cref="INodeOverride"/>: while the model executes it builds the vectors of the chosen layers
/// (<see cref="LayerVectorBuilder"/>) and hands every output on unchanged.
/// </summary>
public sealed class LayerVectorRecorder : INodeOverride
{
    private readonly IReadOnlySet<string>? _layers;
    private readonly MatrixNumerics _numerics;
    private readonly List<LayerVectors> _recorded = [];

    /// <param name="layers">The node names to record; null records every node.</param>
    /// <param name="numerics">The array's numerics, which the accumulators follow.</param>
    public LayerVectorRecorder(IReadOnlySet<string>? layers, MatrixNumerics numerics)
    {
        ArgumentNullException.ThrowIfNull(numerics);
        _layers = layers;
        _numerics = numerics;
    }

    /// <summary>The vectors recorded so far, in execution order.</summary>
    public IReadOnlyList<LayerVectors> Recorded => _recorded;

    public bool Overrides(Node node) => _layers is null || _layers.Contains(node?.Name ?? string.Empty);

    public IReadOnlyList<TensorValue> Run(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> computed)
    {
        _recorded.Add(LayerVectorBuilder.Build(node, inputs, computed, _numerics));
        return computed;
    }
}
