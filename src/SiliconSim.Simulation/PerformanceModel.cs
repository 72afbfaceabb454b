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
        var results = ImmutableArray.CreateBuilder<LayerResult>(layers.Length);
        foreach (LayerWork layer in layers)
        {
            LayerResult? result = layer switch
            {
                MatrixLayer matrix => Matrix(spec, matrix, operandTypes, problems),
                VectorLayer vector => Vector(spec, vector),
                _ => throw new ArgumentException($"unknown layer kind {layer.GetType().Name}", nameof(layers)),
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
        };
        return new PerformanceOutcome(simulation, []);
    }

    private static LayerResult? Matrix(AcceleratorSpec spec, MatrixLayer layer, OperandTypes? operandTypes, ImmutableArray<SimulationProblem>.Builder problems)
    {
        (DataType input, DataType weight) = operandTypes?.Resolve(layer) ?? (layer.InputType, layer.WeightType);
        bool typesOk = true;
        foreach (DataType t in new[] { input, weight }.Distinct())
        {
            if (!spec.Array.OperandTypes.Contains(t))
            {
                string supported = string.Join(", ", spec.Array.OperandTypes.Select(DataTypeInfo.Name));
                problems.Add(new SimulationProblem("array.operand_types", $"layer '{layer.Name}' ({layer.OpType}) needs {DataTypeInfo.Name(t)} operands, but the array supports only [{supported}]"));
                typesOk = false;
            }
        }

        // SCALE-Sim times the whole layer's GEMM whatever its SRAMs hold (docs/timing-model.md): in that mode the tiling moves
        // only traffic and stalls. The corrected model times each tile, as the array really runs it.
        MatrixLayerResult memory = spec.Timing == TimingModel.ScaleSim
            ? MatrixMemoryModel.Evaluate(layer, spec, FoldTimingModel.Evaluate(layer, spec.Array, TimingModel.ScaleSim).ComputeCycles)
            : MatrixMemoryModel.Evaluate(layer, spec, gemm => FoldTimingModel.GemmCycles(gemm, spec.Array, spec.Timing));
        if (memory.Status == MappingStatus.Infeasible)
        {
            int index = spec.Memory.Buffers.IndexOf(spec.Memory.Buffers.FirstOrDefault(b => b.Name == memory.BufferName)!);
            string path = index >= 0 ? $"memory.buffers[{index}].capacity_kib" : "memory.buffers";
            problems.Add(new SimulationProblem(path, $"layer '{layer.Name}' ({layer.OpType}) cannot be tiled: {memory.Reason}"));
            return null;
        }

        if (!typesOk)
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
            StallCycles = memory.StallCycles,
            Utilization = memory.TotalCycles == 0 ? 0 : layer.Macs / ((double)spec.Array.PeCount * memory.TotalCycles),
            SramReadBytes = memory.Buffers.Sum(b => b.ReadBytes),
            SramWriteBytes = memory.Buffers.Sum(b => b.WriteBytes),
            DramReadBytes = memory.Dram.ReadBytes,
            DramWriteBytes = memory.Dram.WriteBytes,
            Buffers = memory.Buffers,
            InputType = input,
            WeightType = weight,
        };
    }

    private static LayerResult Vector(AcceleratorSpec spec, VectorLayer layer)
    {
        VectorLayerResult v = VectorUnitModel.Evaluate(layer, spec);
        return new LayerResult
        {
            Name = layer.Name,
            OpType = layer.OpType,
            Kind = LayerKind.Vector,
            Shape = string.Create(CultureInfo.InvariantCulture, $"{layer.Elements} elements"),
            Macs = 0,
            ComputeCycles = v.ComputeCycles,
            StallCycles = v.StallCycles,
            Utilization = 0,
            SramReadBytes = v.Buffers.Sum(b => b.ReadBytes),
            SramWriteBytes = v.Buffers.Sum(b => b.WriteBytes),
            DramReadBytes = v.Dram.ReadBytes,
            DramWriteBytes = v.Dram.WriteBytes,
            Buffers = v.Buffers,
            VectorClass = layer.OpClass,
            VectorElements = layer.Elements,
        };
    }
}
