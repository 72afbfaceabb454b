using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Timing;
using SiliconSim.Simulation.Vector;

namespace SiliconSim.Simulation;

/// <summary>
/// Times a model's layers on an accelerator: each matrix layer is tiled onto the SRAM buffers and its tiles are timed on
/// the array by the fold-level model (<see cref="FoldTimingModel"/>) inside the double-buffered DRAM pipeline
/// (<see cref="MatrixMemoryModel"/>); every other layer runs on the vector unit (<see cref="VectorUnitModel"/>). Layers run
/// one after another in graph order. Pure: the same inputs give the same result.
/// </summary>
public static class PerformanceModel
{
    /// <param name="operandTypes">The operand types of each matrix layer on the hardware; null takes the layers' own.</param>
    public static PerformanceOutcome Evaluate(AcceleratorSpec spec, ImmutableArray<LayerWork> layers, string modelName, int batch, OperandTypes? operandTypes = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = ImmutableArray.CreateBuilder<SimulationProblem>();
        foreach (MatrixLayer matrix in layers.OfType<MatrixLayer>())
        {
            CheckOperandTypes(spec, matrix, operandTypes, problems);
        }

        // Layers of one shape under one placement tile alike (a transformer's blocks): each is mapped once per run.
        var mapped = new Dictionary<(MatrixSignature, OperandPlacement), MatrixLayerResult>();
        MatrixLayerResult Mapped(MatrixLayer layer, OperandPlacement placement)
        {
            var key = (MatrixSignature.Of(layer), placement);
            if (!mapped.TryGetValue(key, out MatrixLayerResult? result))
            {
                result = MatrixMemory(spec, layer, placement);
                mapped[key] = result;
            }

            return result.LayerName == layer.Name ? result : result with { LayerName = layer.Name };
        }

        (NetworkMemoryPlanner Planner, ImmutableArray<LayerResult> Layers, ImmutableArray<SimulationProblem> Problems) PlanWith(IReadOnlySet<string> writeThrough, bool depthFirst)
        {
            var planProblems = ImmutableArray.CreateBuilder<SimulationProblem>();
            planProblems.AddRange(problems);
            var planner = new NetworkMemoryPlanner(spec, layers, Mapped, writeThrough, depthFirst);
            var results = ImmutableArray.CreateBuilder<LayerResult>(layers.Length);
            foreach (PlannedLayer planned in planner.Run())
            {
                LayerResult? result = planned.Layer switch
                {
                    MatrixLayer matrix => Matrix(spec, matrix, planned, operandTypes, planProblems),
                    VectorLayer vector => Vector(vector, planned),
                    _ => throw new ArgumentException($"unknown layer kind {planned.Layer.GetType().Name}", nameof(layers)),
                };
                if (result is not null)
                {
                    results.Add(result);
                }
            }

            return (planner, results.ToImmutable(), planProblems.ToImmutable());
        }

        // The plan decides layer by layer. When a tensor its producer kept on chip is spilled before any reader used it
        // there (its reader needed the room for its own tiles), keeping it only shrank the producer's tiles: plan again
        // with the producer writing those tensors straight to DRAM, and keep the new plan if it moves fewer bytes, or
        // as many in fewer cycles. Each round forbids more keeps, so it ends; a few rounds settle every case seen.
        (NetworkMemoryPlanner Planner, ImmutableArray<LayerResult> Layers, ImmutableArray<SimulationProblem> Problems) BestPlan(bool depthFirst)
        {
            var plan = PlanWith(new HashSet<string>(StringComparer.Ordinal), depthFirst);
            var writeThrough = new HashSet<string>(StringComparer.Ordinal);
            for (int round = 0; round < MaxReplans && plan.Problems.IsEmpty && plan.Planner.WastedKeeps.Any(t => !writeThrough.Contains(t)); round++)
            {
                var next = new HashSet<string>(writeThrough, StringComparer.Ordinal);
                next.UnionWith(plan.Planner.WastedKeeps);
                var candidate = PlanWith(next, depthFirst);
                if (!candidate.Problems.IsEmpty || !Better(candidate.Layers, plan.Layers))
                {
                    break;
                }

                (plan, writeThrough) = (candidate, next);
            }

            return plan;
        }

        // Depth first is a schedule the compiler may use, not must: a stack whose line buffers save no bytes still
        // shrinks its layers' tiles (a larger buffer admitted a stack that moved the same 14 B in 32 cycles instead of
        // 19). The stacks stay only if the network then moves fewer bytes, or as many in fewer cycles.
        var plan = BestPlan(spec.Memory.Schedule == ExecutionSchedule.DepthFirst);
        int declinedStacks = 0;
        if (plan.Problems.IsEmpty && plan.Planner.StackCount > 0 && BestPlan(depthFirst: false) is { Problems.IsEmpty: true } flat && Better(flat.Layers, plan.Layers))
        {
            declinedStacks = plan.Planner.StackCount;
            plan = flat;
        }

        if (plan.Problems.Length > 0)
        {
            return new PerformanceOutcome(null, plan.Problems);
        }

        NetworkMemoryPlanner planner = plan.Planner;
        var results = plan.Layers;

        var simulation = new SimulationResult
        {
            Accelerator = spec.Name,
            Model = modelName,
            Batch = batch,
            ClockMhz = spec.ClockMhz,
            PeCount = spec.Array.PeCount,
            DramBandwidthGBps = spec.Memory.Dram.BandwidthGBps,
            Layers = results,
            Plan = new MemoryPlanSummary
            {
                Schedule = spec.Memory.Schedule,
                DepthFirstStacks = planner.StackCount,
                DepthFirstStacksDeclined = declinedStacks,
                ActivationCapacityBytes = planner.ActivationCapacityBytes,
                WeightsResident = planner.WeightsResident,
                WeightsRequestedResident = spec.Memory.Weights == WeightPlacement.Resident,
                ResidentWeightBytes = planner.WeightsResident ? planner.ConstantBytes : 0,
                LowerBoundDramBytes = LowerBound(layers, planner.WeightsResident, spec.Memory.Dram.BurstBytes),
            },
        };
        return new PerformanceOutcome(simulation, []);
    }

    /// <summary>Re-plans at most this many times; each forbids at least one more keep.</summary>
    private const int MaxReplans = 4;

    /// <summary>Fewer network DRAM bytes, or as many in fewer cycles: the planner's own order of preference.</summary>
    private static bool Better(ImmutableArray<LayerResult> candidate, ImmutableArray<LayerResult> incumbent)
    {
        long candidateBytes = candidate.Sum(l => l.DramReadBytes + l.DramWriteBytes), incumbentBytes = incumbent.Sum(l => l.DramReadBytes + l.DramWriteBytes);
        return candidateBytes < incumbentBytes || (candidateBytes == incumbentBytes && candidate.Sum(l => l.TotalCycles) < incumbent.Sum(l => l.TotalCycles));
    }

    /// <summary>
    /// The DRAM bytes no plan can avoid: each layer's constants once (none while weights stay resident), each graph
    /// output once, and of each graph input what its readers need once: all of it, except where every reader is a conv
    /// whose windows skip part of it (a strided 1x1 conv reads every other pixel), which needs only the pixels some
    /// window touches. Burst-rounded per tensor.
    /// </summary>
    public static long LowerBound(ImmutableArray<LayerWork> layers, bool weightsResident, int burstBytes)
    {
        long bytes = 0;
        var inputs = new Dictionary<string, (long Bytes, List<MatrixLayer>? Convs)>(StringComparer.Ordinal);
        foreach (LayerWork layer in layers)
        {
            if (layer is VectorLayer { MovesData: false })
            {
                continue; // a view reads nothing; its readers read the tensor
            }

            foreach (TensorUse read in layer.Reads)
            {
                if (read.Origin == TensorOrigin.Constant && !weightsResident)
                {
                    bytes += TileSearch.Burst(read.Bytes, burstBytes);
                }
                else if (read.Origin == TensorOrigin.GraphInput)
                {
                    List<MatrixLayer>? convs = inputs.TryGetValue(read.Name, out var seen) ? seen.Convs : [];
                    bool windowed = layer is MatrixLayer { Conv: not null } m && m.InputTensor == read.Name;
                    if (windowed && convs is not null)
                    {
                        convs.Add((MatrixLayer)layer);
                    }

                    inputs[read.Name] = (read.Bytes, windowed ? convs : null);
                }
            }

            bytes += layer.Writes.Where(w => w.IsGraphOutput).Sum(w => TileSearch.Burst(w.Bytes, burstBytes));
        }

        foreach ((long whole, List<MatrixLayer>? convs) in inputs.Values)
        {
            long needed = convs is { Count: > 0 } ? Math.Min(whole, LayerGeometry.TouchedInputBytes(convs)) : whole;
            bytes += TileSearch.Burst(needed, burstBytes);
        }

        return bytes;
    }

    private static MatrixLayerResult MatrixMemory(AcceleratorSpec spec, MatrixLayer layer, OperandPlacement placement) =>
        // SCALE-Sim times the whole layer's GEMM whatever its SRAMs hold (docs/timing-model.md): in that mode the tiling moves
        // only traffic and stalls. The corrected model times each tile, as the array really runs it.
        spec.Timing == TimingModel.ScaleSim
            ? MatrixMemoryModel.Evaluate(layer, spec, FoldTimingModel.Evaluate(layer, spec.Array, TimingModel.ScaleSim).ComputeCycles, placement)
            : MatrixMemoryModel.Evaluate(layer, spec, gemm => FoldTimingModel.GemmCycles(gemm, spec.Array, spec.Timing), placement);

    private static void CheckOperandTypes(AcceleratorSpec spec, MatrixLayer layer, OperandTypes? operandTypes, ImmutableArray<SimulationProblem>.Builder problems)
    {
        (DataType input, DataType weight) = operandTypes?.Resolve(layer) ?? (layer.InputType, layer.WeightType);
        foreach (DataType t in new[] { input, weight }.Distinct())
        {
            if (!spec.Array.OperandTypes.Contains(t))
            {
                string supported = string.Join(", ", spec.Array.OperandTypes.Select(DataTypeInfo.Name));
                problems.Add(new SimulationProblem("array.operand_types", $"layer '{layer.Name}' ({layer.OpType}) needs {DataTypeInfo.Name(t)} operands, but the array supports only [{supported}]"));
            }
        }
    }

    private static LayerResult? Matrix(AcceleratorSpec spec, MatrixLayer layer, PlannedLayer planned, OperandTypes? operandTypes, ImmutableArray<SimulationProblem>.Builder problems)
    {
        (DataType input, DataType weight) = operandTypes?.Resolve(layer) ?? (layer.InputType, layer.WeightType);
        MatrixLayerResult memory = planned.Matrix!;
        if (memory.Status == MappingStatus.Infeasible)
        {
            int index = spec.Memory.Buffers.IndexOf(spec.Memory.Buffers.FirstOrDefault(b => b.Name == memory.BufferName)!);
            string path = index >= 0 ? $"memory.buffers[{index}].capacity_kib" : "memory.buffers";
            problems.Add(new SimulationProblem(path, $"layer '{layer.Name}' ({layer.OpType}) cannot be tiled: {memory.Reason}"));
            return null;
        }

        if (problems.Count > 0)
        {
            return null;
        }

        LayerTimingResult folds = FoldTimingModel.Evaluate(layer, spec.Array, spec.Timing);
        GemmShape g = layer.Gemm;
        string shape = string.Create(CultureInfo.InvariantCulture, $"M={g.M} N={g.N} K={g.K}") + (layer.Groups > 1 ? string.Create(CultureInfo.InvariantCulture, $" groups={layer.Groups}") : string.Empty);
        return new LayerResult
        {
            Name = layer.Name,
            OpType = layer.OpType,
            Kind = LayerKind.Matrix,
            Shape = shape,
            Macs = layer.Macs,
            ReductionLength = g.K,
            Folds = folds.Folds,
            ComputeCycles = memory.ComputeCycles,
            StallCycles = memory.StallCycles + planned.BackgroundCycles,
            Utilization = memory.TotalCycles == 0 ? 0 : layer.Macs / ((double)spec.Array.PeCount * (memory.TotalCycles + planned.BackgroundCycles)),
            SramReadBytes = memory.Buffers.Sum(b => b.ReadBytes),
            SramWriteBytes = memory.Buffers.Sum(b => b.WriteBytes),
            DramReadBytes = planned.Traffic.ReadBytes,
            DramWriteBytes = planned.Traffic.WriteBytes,
            Dram = planned.Traffic,
            Occupancy = planned.Occupancy,
            Buffers = memory.Buffers,
            Mapping = memory.Mapping,
            InputType = input,
            WeightType = weight,
        };
    }

    private static LayerResult Vector(VectorLayer layer, PlannedLayer planned)
    {
        VectorLayerResult v = planned.Vector!;
        return new LayerResult
        {
            Name = layer.Name,
            OpType = layer.OpType,
            Kind = LayerKind.Vector,
            Shape = string.Create(CultureInfo.InvariantCulture, $"{layer.Elements} elements"),
            Macs = 0,
            ComputeCycles = v.ComputeCycles,
            StallCycles = v.StallCycles + planned.BackgroundCycles,
            Utilization = 0,
            SramReadBytes = v.Buffers.Sum(b => b.ReadBytes),
            SramWriteBytes = v.Buffers.Sum(b => b.WriteBytes),
            DramReadBytes = planned.Traffic.ReadBytes,
            DramWriteBytes = planned.Traffic.WriteBytes,
            Dram = planned.Traffic,
            Occupancy = planned.Occupancy,
            FusedInto = planned.FusedInto,
            Buffers = v.Buffers,
            VectorClass = layer.OpClass,
            VectorElements = layer.Elements,
        };
    }
}
