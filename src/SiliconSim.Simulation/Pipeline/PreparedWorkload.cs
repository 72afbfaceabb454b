using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// A workload ready to be evaluated on a spec (<see cref="SimulationPipeline.Prepare"/>): the graph lowered for the
/// hardware, its layers with the shapes execution produced (or shape inference gave, without inputs), the operand types
/// the array sees, the batch, and the executed values with their drift from the golden. Values depend on the lowering
/// and the array's numerics only, never on timing, so one preparation serves every spec that shares those (a sweep).
/// </summary>
public sealed record PreparedWorkload
{
    public required string Name { get; init; }

    /// <summary>The graph as the accelerator executes it; null for a layer list.</summary>
    public ModelGraph? Lowered { get; init; }

    /// <summary>The layers in execution order.</summary>
    public required ImmutableArray<LayerWork> Layers { get; init; }

    /// <summary>The operand types of each matrix layer on the hardware; null takes the layers' own (a topology).</summary>
    public OperandTypes? OperandTypes { get; init; }

    /// <summary>
    /// The layers at another batch size (shape inference at that batch), for a plan that splits the batch so that its
    /// activations fit; null for a layer list, or when the shapes cannot be inferred at that batch.
    /// </summary>
    public Func<int, ImmutableArray<LayerWork>?>? LayersAtBatch { get; init; }

    /// <summary>Inputs per run: the first dimension of the first input, or the requested batch without inputs.</summary>
    public required int Batch { get; init; }

    public required ValuesOutcome Values { get; init; }

    /// <summary>The graph outputs in order, when executed; empty otherwise.</summary>
    public IReadOnlyList<(string Name, TensorValue Value)> Outputs { get; init; } = [];

    /// <summary>Per output, the comparison with the golden; empty without a golden.</summary>
    public ImmutableArray<OutputDrift> Drift { get; init; } = [];

    /// <summary>The array numerics the values ran under, in words.</summary>
    public required string Numerics { get; init; }

    /// <summary>True when those numerics are ONNX Runtime's (int32 accumulators, float32 requantizer).</summary>
    public required bool ReferenceNumerics { get; init; }

    /// <summary>Vector nodes whose element count no shape gave (counted as 0 elements).</summary>
    public ImmutableArray<string> UnknownShapes { get; init; } = [];

    /// <summary>Elements that differ from the golden over all outputs; an output that could not be compared counts whole.</summary>
    public long Mismatches => Drift.Sum(d => d.Problem is null ? d.Mismatches : d.Elements);
}
