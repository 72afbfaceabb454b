using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// The one path from a config and a model to a result (STYLE D8), behind two entry points that every front door
/// (<c>run</c>, <c>sweep</c>, <c>compare</c>, <c>validate --config</c>) calls:
/// <list type="number">
/// <item><see cref="Prepare"/>: lower the model for the hardware (<see cref="AcceleratorLowering"/>), execute it under
/// the array's numerics when inputs exist and compare with the golden (<see cref="DriftReport"/>), and extract its layers
/// with the shapes execution produced (shape inference's, without inputs);</item>
/// <item><see cref="Evaluate"/>: time the layers (<see cref="PerformanceModel"/>), price them with the energy table
/// (<see cref="EnergyAccounting"/>) and heat the die with back-to-back inference (<see cref="InferenceThermal"/>).</item>
/// </list>
/// Pure: no I/O; the same request and spec give the same result.
/// </summary>
public static class SimulationPipeline
{
    /// <summary>The numerics of the golden: ONNX Runtime's int32 accumulators and float32 requantizer.</summary>
    public const string ReferenceNumericsText = "reference (int32 accumulator, float32 requantizer: ONNX Runtime's)";

    /// <summary>
    /// Prepares <paramref name="request"/> for <paramref name="spec"/> (null: ONNX Runtime's lowering and numerics only,
    /// as <c>validate</c> without a config checks them).
    /// </summary>
    /// <exception cref="WorkloadException">the model has an unsupported op, the inputs do not fit it, a node fails, a
    /// tensor would exceed the request's memory budget, or the golden does not match the outputs in number.</exception>
    public static PreparedWorkload Prepare(WorkloadRequest request, AcceleratorSpec? spec)
    {
        try
        {
            return RefuseEmptyMatrices(PrepareWithinBudget(request, spec));
        }
        catch (MemoryBudgetException e)
        {
            throw new WorkloadException(WorkloadFault.Model, e.Message);
        }
    }

    /// <summary>
    /// The graph a run executes for <paramref name="spec"/> (null: ONNX Runtime's CPU lowering alone). <c>inspect
    /// --lowered</c> lists it and <c>validate --trace-*</c> walks it, so both show what a run computes.
    /// </summary>
    public static ModelGraph LowerForExecution(ModelGraph model, AcceleratorSpec? spec, MemoryBudget? budget = null) => AcceleratorLowering.Lower(model, spec, budget);

    /// <summary>
    /// Executes a graph from <see cref="LowerForExecution"/>, handing every node output to <paramref name="observe"/> as
    /// it is produced: the intermediate values a trace compares, which <see cref="Evaluate"/> does not keep.
    /// </summary>
    /// <exception cref="ExecutionException">a node failed; the tensors before it have been observed.</exception>
    public static void ExecuteObserved(ModelGraph lowered, IReadOnlyDictionary<string, TensorValue> inputs, Action<string, TensorValue> observe) =>
        GraphExecutor.Run(lowered, inputs, observe);

    /// <summary>A matrix layer with a zero extent (a MatMul of a [0,k] operand) has no work the timing model can map:
    /// the model is at fault, named by its node.</summary>
    private static PreparedWorkload RefuseEmptyMatrices(PreparedWorkload prepared)
    {
        foreach (MatrixLayer layer in prepared.Layers.OfType<MatrixLayer>())
        {
            if (layer.Gemm.M <= 0 || layer.Gemm.N <= 0 || layer.Gemm.K <= 0 || layer.Groups <= 0)
            {
                throw new WorkloadException(WorkloadFault.Model, $"node '{layer.Name}': a matrix product with a zero extent (M={layer.Gemm.M}, N={layer.Gemm.N}, K={layer.Gemm.K}, groups={layer.Groups}) has no work to time");
            }
        }

        return prepared;
    }

    private static PreparedWorkload PrepareWithinBudget(WorkloadRequest request, AcceleratorSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool reference = spec is null || spec.Array.Numerics.IsReference;
        string numerics = reference ? ReferenceNumericsText : spec!.Array.Numerics.ToMatrixNumerics().ToString();
        if (request.Model is not ModelGraph model)
        {
            return new PreparedWorkload
            {
                Name = request.Name,
                Layers = request.Layers,
                Batch = 1,
                Values = ValuesOutcome.TimingOnly,
                Numerics = numerics,
                ReferenceNumerics = reference,
            };
        }

        ModelGraph lowered = LowerForExecution(model, spec, request.MemoryBudget);
        var unsupported = GraphExecutor.FindUnsupported(lowered);
        if (unsupported.Count > 0)
        {
            throw new WorkloadException(WorkloadFault.Model, UnsupportedNode.Describe(unsupported));
        }

        var prepared = new PreparedWorkload
        {
            Name = request.Name,
            Lowered = lowered,
            Layers = [],
            LayersAtBatch = batch => LayersAt(model, lowered, batch, request.MemoryBudget),
            OperandTypes = new OperandTypes(lowered),
            Batch = request.Batch,
            Values = ValuesOutcome.TimingOnly,
            Numerics = numerics,
            ReferenceNumerics = reference,
        };
        if (request.Inputs.Count == 0)
        {
            var inferred = LayerExtractor.ExtractWithShapes(lowered, ShapeInference.Infer(lowered, ShapeInference.InputShapes(model, request.Batch), request.MemoryBudget));
            return prepared with { Layers = inferred.Layers, UnknownShapes = inferred.UnknownShapes };
        }

        var runtimeInputs = model.RuntimeInputs.ToList();
        foreach (ValueInfo input in runtimeInputs)
        {
            if (!request.Inputs.TryGetValue(input.Name, out TensorValue? given))
            {
                throw new WorkloadException(WorkloadFault.Inputs, $"no value for model input '{input.Name}'");
            }

            CheckInput(input, given);
        }

        // The shapes the run actually produced time the layers: they cover values shape inference has no rule for.
        var shapes = request.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray(), StringComparer.Ordinal);
        foreach (var (name, value) in lowered.Initializers)
        {
            shapes[name] = [.. value.Shape];
        }

        IReadOnlyList<(string Name, TensorValue Value)> outputs;
        try
        {
            outputs = GraphExecutor.Run(lowered, request.Inputs, (name, value) => shapes[name] = [.. value.Shape], (spec?.Array.Numerics.ToExecutionOptions() ?? ExecutionOptions.Default) with { MemoryBudget = request.MemoryBudget, NodeOverride = request.NodeOverride, Parallelism = request.Parallelism, ObserverKeepsValues = false });
        }
        catch (ExecutionException e)
        {
            throw new WorkloadException(WorkloadFault.Model, e.Message);
        }

        TensorValue first = request.Inputs[runtimeInputs[0].Name];
        var layers = LayerExtractor.ExtractWithShapes(lowered, shapes);
        prepared = prepared with
        {
            Layers = layers.Layers,
            UnknownShapes = layers.UnknownShapes,
            Batch = first.Rank > 0 ? first.Shape[0] : 1,
            Outputs = outputs,
            Values = ValuesOutcome.Executed,
        };
        if (request.Golden.Count == 0)
        {
            return prepared;
        }

        if (request.Golden.Count != outputs.Count)
        {
            throw new WorkloadException(WorkloadFault.Inputs, $"{request.Golden.Count} golden outputs for a model with {outputs.Count} outputs");
        }

        var drift = DriftReport.Compare(outputs, request.Golden, UsableLabels(outputs, request.Labels)).Outputs;
        prepared = prepared with { Drift = drift };
        return prepared with
        {
            Values = prepared.Mismatches == 0 ? ValuesOutcome.BitExact : reference ? ValuesOutcome.Mismatch : ValuesOutcome.Drift,
        };
    }

    /// <summary>
    /// Times, prices and heats <paramref name="workload"/> on <paramref name="spec"/>. The workload may have been
    /// prepared for another spec with the same lowering and numerics (a sweep point varying memory or clock).
    /// </summary>
    public static RunOutcome Evaluate(PreparedWorkload workload, AcceleratorSpec spec, EnergyTableSpec energyTable, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(energyTable);
        options ??= new EvaluationOptions();
        PerformanceOutcome timed = BatchPlanning.Evaluate(spec, workload);
        if (!timed.Success)
        {
            return new RunOutcome(null, timed.Problems);
        }

        SimulationResult performance = timed.Result!;
        EnergyReport energy = EnergyAccounting.Evaluate(performance, spec, energyTable);
        ThermalRunResult? thermal = options.ThermalSeconds > 0
            ? InferenceThermal.BackToBack(spec, performance, energy, options.ThermalSeconds, options.ThermalSampleIntervalS)
            : null;
        var result = new RunResult
        {
            Model = workload.Name,
            Values = workload.Values,
            Outputs = workload.Drift,
            Mismatches = workload.Mismatches,
            Numerics = workload.Numerics,
            ReferenceNumerics = workload.ReferenceNumerics,
            Performance = performance,
            Energy = energy,
            Thermal = thermal,
            ThermalSummary = thermal is null ? null : ThermalSummary.Of(thermal, spec, performance.Batch, options.ThermalSeconds),
        };
        return new RunOutcome(result, []);
    }

    /// <summary>The lowered graph's layers with the shapes inference gives at <paramref name="batch"/>; null when it cannot.</summary>
    private static ImmutableArray<LayerWork>? LayersAt(ModelGraph model, ModelGraph lowered, int batch, MemoryBudget budget)
    {
        try
        {
            return LayerExtractor.ExtractWithShapes(lowered, ShapeInference.Infer(lowered, ShapeInference.InputShapes(model, batch), budget)).Layers;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or MemoryBudgetException or OpException)
        {
            return null;
        }
    }

    private static void CheckInput(ValueInfo declared, TensorValue given)
    {
        if (declared.Type != given.Type)
        {
            throw new WorkloadException(WorkloadFault.Inputs, $"input '{declared.Name}' must be {DataTypeInfo.Name(declared.Type)}, got {DataTypeInfo.Name(given.Type)}");
        }

        bool shapeOk = declared.Dims.Length == given.Rank
            && declared.Dims.Select((d, i) => d is null || d == given.Shape[i]).All(ok => ok);
        if (!shapeOk)
        {
            string want = declared.DimsText;
            throw new WorkloadException(WorkloadFault.Inputs, $"input '{declared.Name}' must have shape {want}, got {ShapeMath.Format(given.Shape.ToArray())}");
        }
    }

    /// <summary>The labels when they hold one class per row of every rank-2-or-more output (DriftReport's contract), else none.</summary>
    private static IReadOnlyList<int>? UsableLabels(IReadOnlyList<(string Name, TensorValue Value)> outputs, IReadOnlyList<int>? labels) =>
        labels is not null && outputs.All(o => o.Value.Rank < 2 || o.Value.Shape[0] == labels.Count) ? labels : null;
}
