using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;
using ThrottleEvent = SiliconSim.Simulation.Thermal.ThrottleEvent;

namespace SiliconSim.Reporting.Tests;

/// <summary>Seeded run results and reports with every field set, including hostile strings for HTML escaping.</summary>
internal static class ReportFixtures
{
    /// <summary>The retired-schema file `siliconsim run` wrote for the demo with a hot, short thermal run (three throttles).</summary>
    public static string V1Report => Path.Combine(AppContext.BaseDirectory, "Data", "report-v1.json");

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
            ReductionLength = kind == LayerKind.Matrix ? 9 : 0,
            Folds = rng.Next(0, 5),
            ComputeCycles = rng.Next(100, 10000),
            StallCycles = rng.Next(0, 3000),
            Utilization = rng.NextDouble(),
            SramReadBytes = rng.Next(),
            SramWriteBytes = rng.Next(),
            DramReadBytes = kind == LayerKind.Matrix ? rng.Next(1, 100000) : 0,
            DramWriteBytes = kind == LayerKind.Matrix ? rng.Next(1, 100000) : 0,
            Buffers =
            [
                new BufferCounters { Name = "ibuf", Role = BufferRole.Input, Operands = [OperandKind.Input], ReadBytes = rng.Next(), WriteBytes = rng.Next(), ReadAccesses = rng.Next(), WriteAccesses = rng.Next() },
                new BufferCounters { Name = "ubuf", Role = BufferRole.Unified, Operands = [OperandKind.Weight, OperandKind.Output], ReadBytes = 1, WriteBytes = 2, ReadAccesses = 3, WriteAccesses = 4 },
            ],
            InputType = kind == LayerKind.Matrix ? DataType.UInt8 : DataType.Undefined,
            WeightType = kind == LayerKind.Matrix ? DataType.Float8E4M3FN : DataType.Undefined,
            VectorClass = kind == LayerKind.Vector ? VectorOpClass.Pooling : null,
            VectorElements = kind == LayerKind.Vector ? rng.Next(1, 1000) : 0,
        };

        var performance = new SimulationResult
        {
            Accelerator = "edge & co",
            Model = "digits",
            Batch = 2,
            ClockMhz = 800,
            PeCount = 256,
            DramBandwidthGBps = 12.8,
            Layers = [Layer(0, LayerKind.Matrix), Layer(1, LayerKind.Matrix), Layer(2, LayerKind.Vector)],
        };
        double[] t = [.. Enumerable.Range(0, 20).Select(i => i * 1e-3)];
        var thermal = new ThermalRunResult
        {
            Status = ThermalRunStatus.Completed,
            EndTimeS = t[^1],
            Samples = [.. t.Select((s, i) => new ThermalSample(s, 45 + i, 1 + rng.NextDouble(), i < 12 ? 0 : 1, i < 12 ? 800 : 600))],
            ThrottleEvents = [new ThrottleEvent(0.012, 57, 0, 1)],
            NominalSteadyState = new ThermalSteadyState(true, 70.5, 0.125, null),
            PeakJunctionC = 64,
            FinalJunctionC = 64,
            ExceededMaxJunction = false,
            InferencesCompleted = 40,
            AverageInferencesPerSecond = 2000,
            SustainedInferencesPerSecond = 1500,
            DynamicEnergyJ = 0.5,
            LeakageEnergyJ = 0.25,
            AmbientEnergyJ = 0.125,
            StoredEnergyJ = 0.625,
        };
        var summary = new ThermalSummary
        {
            DurationS = 0.019,
            AmbientC = 45,
            PeakJunctionC = 64,
            MaxJunctionC = 105,
            ThrottleC = 55,
            SteadyStateC = 70.5,
            ExceededMaxJunction = false,
            TimeToFirstThrottleS = 0.012,
            SustainedInferencesPerSecond = 3000,
            ThrottleEvents = [new DvfsChange(0.012, 57, 800, 600)],
            TimeAtEachStep = [new DvfsResidency(800, 0.8, 0.012), new DvfsResidency(600, 0.7, 0.007)],
        };

        return new RunReport
        {
            ToolVersion = "1.2.3",
            ConfigPath = "configs/presets/edge.yaml",
            ConfigSha256 = "ab12",
            ConfigOverrides = ["thermal.ambient_c=45"],
            ModelPath = "workloads/m.onnx",
            ModelSha256 = "cd34",
            Result = Run(performance, Energy(performance, rng), thermal, summary) with
            {
                Values = ValuesOutcome.Drift,
                Numerics = "int32 wrap, float32 requantizer",
                ReferenceNumerics = false,
                Outputs =
                [
                    new OutputDrift("out", 100, 0, 0, 10, 9, 9, 9, null),
                    new OutputDrift("aux", 5, 1, 0.5, 0, null, null, null, null),
                ],
                Mismatches = 1,
            },
        };
    }

    /// <summary>A run of <paramref name="performance"/>, priced by <paramref name="energy"/> (none: no layers), heated when given.</summary>
    public static RunResult Run(SimulationResult performance, EnergyReport? energy = null, ThermalRunResult? thermal = null, ThermalSummary? summary = null) => new()
    {
        Model = performance.Model,
        Values = ValuesOutcome.TimingOnly,
        Numerics = "reference",
        ReferenceNumerics = true,
        Performance = performance,
        Energy = energy ?? new EnergyReport("none", [], Breakdown(0, 0, 0, 0, 0, 0, 0, 0)),
        Thermal = thermal,
        ThermalSummary = summary,
    };

    /// <summary>A run of <paramref name="layers"/> on a 64-PE, 1 GHz, 16 GB/s accelerator.</summary>
    public static RunResult Run(params LayerResult[] layers) =>
        Run(new SimulationResult { Accelerator = "a", Model = "m", Batch = 1, ClockMhz = 1000, PeCount = 64, DramBandwidthGBps = 16, Layers = [.. layers] });

    public static LayerResult Layer(string name, long computeCycles = 100, long stallCycles = 0, long macs = 0, double utilization = 0, long dramBytes = 0) => new()
    {
        Name = name,
        OpType = "QGemm",
        Kind = LayerKind.Matrix,
        Shape = "",
        Macs = macs,
        ComputeCycles = computeCycles,
        StallCycles = stallCycles,
        Utilization = utilization,
        SramReadBytes = 0,
        SramWriteBytes = 0,
        DramReadBytes = dramBytes,
        DramWriteBytes = 0,
    };

    /// <summary>
    /// A planned run with round numbers worked out by hand: six layers on a 48 KiB activation capacity, one spill of two
    /// tensors (20,480 B at conv1) read back at conv2, one fused layer. Network DRAM: weights 8,704 B (1,152 + 2,304 +
    /// 4,608 + 640), graph inputs 3,072, refills 20,480 (32,256 read); graph outputs 64, spills 20,480 (20,544 written);
    /// 52,800 in all against a lower bound of 11,840 (weights + inputs + outputs): 4.46x. <paramref name="residentWeightBytes"/>
    /// and <paramref name="split"/> change only the occupancy and the plan's fields, not the traffic.
    /// </summary>
    public static RunResult Planned(long residentWeightBytes = 0, BatchSplit? split = null)
    {
        LayerResult Planned(string name, LayerKind kind, DramTraffic dram, long resident, long tiles, string? fusedInto = null, string[]? spilled = null, long weightBufferTiles = 0) => new()
        {
            Name = name,
            OpType = kind == LayerKind.Matrix ? "QLinearConv" : "QuantizeLinear",
            Kind = kind,
            Shape = "",
            Macs = kind == LayerKind.Matrix ? 1000 : 0,
            ComputeCycles = 100,
            StallCycles = 10,
            Utilization = kind == LayerKind.Matrix ? 0.5 : 0,
            SramReadBytes = 0,
            SramWriteBytes = 0,
            DramReadBytes = dram.ReadBytes,
            DramWriteBytes = dram.WriteBytes,
            Dram = dram,
            Occupancy = new LayerOccupancy { ResidentActivationBytes = resident, TileBytes = tiles, WeightBufferTileBytes = weightBufferTiles, ResidentWeightBytes = residentWeightBytes, Spilled = spilled ?? [] },
            FusedInto = fusedInto,
        };

        var performance = new SimulationResult
        {
            Accelerator = "npu",
            Model = "planned",
            Batch = split?.Batch ?? 1,
            ClockMhz = 1000,
            PeCount = 64,
            DramBandwidthGBps = 16,
            Layers =
            [
                Planned("in_quant", LayerKind.Vector, new DramTraffic { ActivationInReadBytes = 3072 }, 3072, 0),
                Planned("conv0", LayerKind.Matrix, new DramTraffic { WeightReadBytes = 1152 }, 3072, 8192, weightBufferTiles: 2304),
                Planned("relu0", LayerKind.Vector, DramTraffic.Zero, 16384, 0, fusedInto: "conv0"),
                Planned("conv1", LayerKind.Matrix, new DramTraffic { WeightReadBytes = 2304, SpillWriteBytes = 20480 }, 40960, 16384, spilled: ["relu0_out", "skip,a"]),
                Planned("conv2", LayerKind.Matrix, new DramTraffic { WeightReadBytes = 4608, RefillReadBytes = 20480 }, 24576, 32768),
                Planned("fc", LayerKind.Matrix, new DramTraffic { WeightReadBytes = 640, ActivationOutWriteBytes = 64 }, 1024, 2048),
            ],
            Plan = new MemoryPlanSummary
            {
                Schedule = ExecutionSchedule.DepthFirst,
                DepthFirstStacks = 1,
                ActivationCapacityBytes = 49152,
                WeightsResident = residentWeightBytes > 0,
                WeightsRequestedResident = true,
                ResidentWeightBytes = residentWeightBytes,
                LowerBoundDramBytes = 11840,
                BatchSplit = split,
            },
        };
        return Run(performance);
    }

    /// <summary>An energy report with the given layers; the total is their sum.</summary>
    public static EnergyReport Energy(params (string Layer, EnergyBreakdown Energy)[] layers)
    {
        var total = layers.Select(l => l.Energy).Aggregate(Breakdown(0, 0, 0, 0, 0, 0, 0, 0), (a, b) => a.Plus(b));
        return new EnergyReport("table", [.. layers.Select(l => new LayerEnergy(l.Layer, ActionCounts.Empty, l.Energy))], total);
    }

    /// <summary>Components in J; SRAM is one buffer "sram", all reads.</summary>
    public static EnergyBreakdown Breakdown(double mac, double accumulator, double registers, double sram, double dram, double vector, double leakage, double overhead, double idle = 0) => new()
    {
        MacJ = mac,
        AccumulatorJ = accumulator,
        RegistersJ = registers,
        Sram = [new BufferEnergy("sram", sram, 0)],
        DramJ = dram,
        VectorJ = vector,
        LeakageJ = leakage,
        OverheadJ = overhead,
        IdleJ = idle,
    };

    private static EnergyReport Energy(SimulationResult performance, Random rng)
    {
        var layers = performance.Layers.Select(l => new LayerEnergy(
            l.Name,
            new ActionCounts
            {
                Macs = [new MacCount(DataType.UInt8, DataType.Int8, l.Macs)],
                AccumulatorAdds = [new AccumulatorAddCount(32, false, l.Macs)],
                RegisterReadBits = rng.Next(),
                Buffers = [new BufferAccessCount("ibuf", rng.Next(), rng.Next())],
                DramReadBits = 8 * l.DramReadBytes,
                VectorOps = [new VectorOpCount(VectorOpClass.Pooling, l.VectorElements)],
                Cycles = l.TotalCycles,
            },
            new EnergyBreakdown
            {
                MacJ = rng.NextDouble() * 1e-6,
                AccumulatorJ = rng.NextDouble() * 1e-7,
                RegistersJ = rng.NextDouble() * 1e-7,
                Sram = [new BufferEnergy("ibuf", rng.NextDouble() * 1e-6, rng.NextDouble() * 1e-6), new BufferEnergy("ubuf", rng.NextDouble() * 1e-6, 0)],
                DramJ = rng.NextDouble() * 1e-5,
                VectorJ = rng.NextDouble() * 1e-8,
                LeakageJ = rng.NextDouble() * 1e-8,
                OverheadJ = rng.NextDouble() * 1e-7,
                IdleJ = 1e-9, // not drawn from rng, so the other fixtures' values stay as they were
            })).ToImmutableArray();
        return new EnergyReport("horowitz-45nm", layers, layers.Skip(1).Aggregate(layers[0].Energy, (a, l) => a.Plus(l.Energy)));
    }
}
