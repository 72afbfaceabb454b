using System.Collections.Immutable;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Mapping;

/// <summary>The hardware work of a lowered graph, one entry per node in graph order.</summary>
/// <param name="Layers">One <see cref="MatrixLayer"/> or <see cref="VectorLayer"/> per node.</param>
/// <param name="UnknownShapes">Names of vector nodes whose element count could not be derived from the shapes given
/// (counted as 0 elements); empty when every shape was known.</param>
public sealed record LayerExtractionResult(ImmutableArray<LayerWork> Layers, ImmutableArray<string> UnknownShapes)
{
    /// <summary>MACs of all matrix layers.</summary>
    public long TotalMacs => Layers.OfType<MatrixLayer>().Sum(l => l.Macs);
}
