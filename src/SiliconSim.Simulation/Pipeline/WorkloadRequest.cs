using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// What to simulate, as the front doors found it: an imported model (with inputs and golden outputs when a test case or
/// an input file came with it) or a list of layers with no values (a SCALE-Sim topology). Files are read by the caller;
/// the pipeline only sees values.
/// </summary>
public sealed record WorkloadRequest
{
    /// <summary>The name reports use (the test-case folder's or the model file's name).</summary>
    public required string Name { get; init; }

    /// <summary>The imported model; null for a layer list.</summary>
    public ModelGraph? Model { get; init; }

    /// <summary>The layers to time when there is no model (a topology); ignored when <see cref="Model"/> is set.</summary>
    public ImmutableArray<LayerWork> Layers { get; init; } = [];

    /// <summary>A value for every runtime input, by name; empty: timing only, shapes inferred at <see cref="Batch"/>.</summary>
    public IReadOnlyDictionary<string, TensorValue> Inputs { get; init; } = ImmutableDictionary<string, TensorValue>.Empty;

    /// <summary>The expected outputs in graph order (ONNX Runtime's), or empty.</summary>
    public IReadOnlyList<TensorValue> Golden { get; init; } = [];

    /// <summary>Class labels, one per row of every classifier-shaped output, or null.</summary>
    public IReadOnlyList<int>? Labels { get; init; }

    /// <summary>The batch bound to symbolic input dimensions when there are no inputs (timing only).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>The memory one tensor and the whole preparation may take (lowering, shape inference, execution),
    /// checked before each allocation; a model over it is a <see cref="WorkloadException"/> naming the node.</summary>
    public MemoryBudget MemoryBudget { get; init; } = MemoryBudget.Default;

    /// <summary>
    /// Nodes whose outputs an outside kernel replaces or a recorder observes while the model executes (co-simulation,
    /// test-vector export); null: SiliconSim's own kernels throughout.
    /// </summary>
    public INodeOverride? NodeOverride { get; init; }

    /// <summary>Threads the kernels may use while the model executes (<see cref="ExecutionOptions.Parallelism"/>); default
    /// one, as for every library caller. The values do not depend on it.</summary>
    public Parallelism Parallelism { get; init; } = Parallelism.Single;

    /// <summary>A timing-only request for a model: shapes inferred with <paramref name="batch"/> for symbolic dims.</summary>
    public static WorkloadRequest TimingOnly(string name, ModelGraph model, int batch) => new() { Name = name, Model = model, Batch = batch };

    /// <summary>A topology's layers, timed as they are.</summary>
    public static WorkloadRequest FromLayers(string name, ImmutableArray<LayerWork> layers) => new() { Name = name, Layers = layers };
}
