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

        var planner = new NetworkMemoryPlanner(spec, layers, Mapped);
        var results = ImmutableArray.CreateBuilder<LayerResult>(layers.Length);
        foreach (PlannedLayer planned in planner.Run())
        {
            LayerResult? result = planned.Layer switch
            {
                MatrixLayer matrix => Matrix(spec, matrix, planned, operandTypes, problems),
                VectorLayer vector => Vector(vector, planned),
                _ => throw new ArgumentException($"unknown layer kind {planned.Layer.GetType().Name}", nameof(layers)),
            };
            if (result is not null)
            {
                results.Add(result);
            }
        }

        if (problems.Count > 0)
        {
            return new PerformanceOutcome(null, problems.ToImmutable());
        }

        var simulation = new SimulationResult
        {
            Accelerator = spec.Name,
            Model = modelName,
            Batch = batch,
            ClockMhz = spec.ClockMhz,
            PeCount = spec.Array.PeCount,
            DramBandwidthGBps = spec.Memory.Dram.BandwidthGBps,
            Layers = results.ToImmutable(),
            Plan = new MemoryPlanSummary
            {
                Schedule = spec.Memory.Schedule,
                DepthFirstStacks = planner.StackCount,
                ActivationCapacityBytes = planner.ActivationCapacityBytes,
                WeightsResident = planner.WeightsResident,
                WeightsRequestedResident = spec.Memory.Weights == WeightPlacement.Resident,
                ResidentWeightBytes = planner.WeightsResident ? planner.ConstantBytes : 0,
                LowerBoundDramBytes = LowerBound(layers, planner.WeightsResident, spec.Memory.Dram.BurstBytes),
            },
        };
        return new PerformanceOutcome(simulation, []);
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
