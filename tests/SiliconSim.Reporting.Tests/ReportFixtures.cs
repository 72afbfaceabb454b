using SiliconSim.Hardware.Specs;
using SiliconSim.Reporting.Json;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tests;

/// <summary>A small seeded run report with every field set, including hostile strings for HTML escaping.</summary>
internal static class ReportFixtures
{
    public static RunReport Seeded(int seed)
    {
        var rng = new Random(seed);
        LayerResult Layer(int i, LayerKind kind) => new()
        {
            Name = i == 1 ? "<script>alert('x')</script>&" : $"layer{i}",
            OpType = kind == LayerKind.Matrix ? "QLinearConv" : "MaxPool",
            Kind = kind,
            Shape = $"M={rng.Next(1, 99)} N=8 K=9",
            Macs = kind == LayerKind.Matrix ? rng.Next(1000, 100000) : 0,
            Folds = rng.Next(0, 5),
            ComputeCycles = rng.Next(100, 10000),
            StallCycles = rng.Next(0, 3000),
            Utilization = rng.NextDouble(),
            SramReadBytes = rng.Next(),
            SramWriteBytes = rng.Next(),
            DramReadBytes = rng.Next(1, 100000),
            DramWriteBytes = rng.Next(1, 100000),
            Buffers =
            [
                new BufferCounters { Name = "ibuf", Role = BufferRole.Input, Operands = [OperandKind.Input], ReadBytes = rng.Next(), WriteBytes = rng.Next(), ReadAccesses = rng.Next(), WriteAccesses = rng.Next() },
                new BufferCounters { Name = "ubuf", Role = BufferRole.Unified, Operands = [OperandKind.Weight, OperandKind.Output], ReadBytes = 1, WriteBytes = 2, ReadAccesses = 3, WriteAccesses = 4 },
            ],
        };

        return new RunReport
        {
            ToolVersion = "1.2.3",
            ConfigPath = "configs/presets/edge.yaml",
            ConfigSha256 = "ab12",
            ModelPath = "workloads/m.onnx",
            ModelSha256 = "cd34",
            Numerics = "reference",
            ReferenceNumerics = true,
            Result = new SimulationResult
            {
                Accelerator = "edge & co",
                Model = "digits",
                Batch = 2,
                ClockMhz = 800,
                PeCount = 256,
                DramBandwidthGBps = 12.8,
                Layers = [Layer(0, LayerKind.Matrix), Layer(1, LayerKind.Matrix), Layer(2, LayerKind.Vector)],
            },
            Outputs =
            [
                new OutputComparison { Name = "out", Elements = 100, Mismatches = 0, MaxAbsDiff = 0, Top1Agreement = 9, Rows = 10, Accuracy = 0.9, GoldenAccuracy = 0.9 },
                new OutputComparison { Name = "aux", Elements = 5, Mismatches = 1, MaxAbsDiff = 0.5 },
            ],
        };
    }
}
