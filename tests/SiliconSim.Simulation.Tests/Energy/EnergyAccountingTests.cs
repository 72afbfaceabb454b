using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Tests.Energy;

/// <summary>Action counts built from layer results follow the stated rules, and the inference total is the sum of layers.</summary>
public sealed class EnergyAccountingTests
{
    private static readonly EnergyTableSpec s_table = new()
    {
        Name = "t",
        TechnologyNodeNm = 45,
        SupplyVoltageV = 0.9,
        Macs = [new(DataType.UInt8, DataType.Int8, 0.225), new(DataType.UInt8, DataType.UInt8, 0.2), new(DataType.Int8, DataType.Int8, 0.2)],
        IntegerAdd = [new(8, 0.03), new(32, 0.1)],
        Float16AddPj = 0.4,
        Float32AddPj = 0.9,
        RegisterReadPjPerBit = 0.003,
        RegisterWritePjPerBit = 0.003,
        Sram = [new(8 * 1024, 64, 10, 10), new(1024 * 1024, 64, 100, 100)],
        DramPjPerBit = ImmutableDictionary<string, double>.Empty.Add("DDR3", 20),
        VectorPjPerElement = ImmutableDictionary<VectorOpClass, double>.Empty.Add(VectorOpClass.Pooling, 0.9),
        SramLeakageUwPerKib = 10,
        PeLeakageUw = 1,
        LeakageReferenceC = 25,
        ClockOverheadFraction = 0.2,
    };

    private static AcceleratorSpec Accelerator(Dataflow dataflow, int accumulatorBits = 32) => new()
    {
        Name = "a",
        ClockMhz = 1000,
        SupplyVoltageV = 0.9,
        TechnologyNodeNm = 45,
        Array = new ArraySpec { Rows = 2, Cols = 2, Dataflow = dataflow, OperandTypes = [DataType.UInt8, DataType.Int8], Numerics = new ArrayNumericsSpec { AccumulatorBits = accumulatorBits } },
        VectorUnit = new VectorUnitSpec { Lanes = 2, CyclesPerElement = ImmutableDictionary<VectorOpClass, double>.Empty, Types = [DataType.UInt8] },
        Memory = new MemorySpec
        {
            Registers = new RegisterFileSpec { BytesPerPe = 8 },
            Buffers = [new BufferSpec { Name = "ub", Role = BufferRole.Unified, CapacityBytes = 8 * 1024, WordBytes = 8, BytesPerCycle = 8 }],
            Dram = new DramSpec { Type = "DDR3", BandwidthGBps = 10, LatencyNs = 100, BurstBytes = 64 },
        },
    };

    private static LayerResult Matrix(long macs, long reads, long writes, long dramRead, long cycles) => new()
    {
        Name = "conv",
        OpType = "QLinearConv",
        Kind = LayerKind.Matrix,
        Shape = "",
        Macs = macs,
        ComputeCycles = cycles,
        StallCycles = 3,
        Utilization = 0,
        SramReadBytes = reads * 8,
        SramWriteBytes = writes * 8,
        DramReadBytes = dramRead,
        DramWriteBytes = 5,
        InputType = DataType.UInt8,
        WeightType = DataType.Int8,
        Buffers = [new BufferCounters { Name = "ub", Role = BufferRole.Unified, Operands = [OperandKind.Input], ReadBytes = reads * 8, WriteBytes = writes * 8, ReadAccesses = reads, WriteAccesses = writes }],
    };

    private static LayerResult Pool(long elements) => new()
    {
        Name = "pool",
        OpType = "MaxPool",
        Kind = LayerKind.Vector,
        Shape = "",
        Macs = 0,
        ComputeCycles = elements,
        StallCycles = 0,
        Utilization = 0,
        SramReadBytes = 0,
        SramWriteBytes = 0,
        DramReadBytes = 0,
        DramWriteBytes = 0,
        VectorClass = VectorOpClass.Pooling,
        VectorElements = elements,
    };

    [Theory]
    [InlineData(Dataflow.WeightStationary, 8 + 8 + 32, 8 + 32)]
    [InlineData(Dataflow.InputStationary, 8 + 8 + 32, 8 + 32)]
    [InlineData(Dataflow.OutputStationary, 8 + 8 + 32, 8 + 8 + 32)]
    public void Count_MatrixLayer_FollowsTheRegisterRuleOfItsDataflow(Dataflow dataflow, int readBitsPerMac, int writeBitsPerMac)
    {
        ActionCounts c = EnergyAccounting.Count(Matrix(1000, 40, 30, 64, 100), Accelerator(dataflow));
        Assert.Equal(1000 * readBitsPerMac, c.RegisterReadBits);
        Assert.Equal(1000 * writeBitsPerMac, c.RegisterWriteBits);
        Assert.Equal(new[] { new MacCount(DataType.UInt8, DataType.Int8, 1000) }, c.Macs.ToArray());
        Assert.Equal(new[] { new AccumulatorAddCount(32, false, 1000) }, c.AccumulatorAdds.ToArray());
        Assert.Equal(new[] { new BufferAccessCount("ub", 40, 30) }, c.Buffers.ToArray());
        Assert.Equal((64 * 8, 5 * 8, 103L), (c.DramReadBits, c.DramWriteBits, c.Cycles));
        Assert.Empty(c.VectorOps);
    }

    [Fact]
    public void Count_NarrowAccumulator_AddsAtItsWidth() =>
        Assert.Equal(new[] { new AccumulatorAddCount(20, false, 7) }, EnergyAccounting.Count(Matrix(7, 0, 0, 0, 1), Accelerator(Dataflow.WeightStationary, 20)).AccumulatorAdds.ToArray());

    [Fact]
    public void Count_VectorLayer_CountsItsElementsInItsClass()
    {
        ActionCounts c = EnergyAccounting.Count(Pool(99), Accelerator(Dataflow.WeightStationary));
        Assert.Equal(new[] { new VectorOpCount(VectorOpClass.Pooling, 99) }, c.VectorOps.ToArray());
        Assert.Empty(c.Macs);
        Assert.Equal(0, c.RegisterReadBits);
    }

    [Property(MaxTest = 50)]
    public Property Evaluate_TotalIsTheSumOfLayers(PositiveInt macs, PositiveInt accesses, PositiveInt elements)
    {
        AcceleratorSpec acc = Accelerator(Dataflow.WeightStationary);
        var result = new SimulationResult
        {
            Accelerator = "a",
            Model = "m",
            Batch = 1,
            ClockMhz = 1000,
            PeCount = 4,
            DramBandwidthGBps = 10,
            Layers = [Matrix(macs.Get, accesses.Get, accesses.Get / 2, 128, 50), Pool(elements.Get), Matrix(macs.Get / 2, 1, 1, 0, 10)],
        };
        EnergyReport report = EnergyAccounting.Evaluate(result, acc, s_table);
        double sum = report.Layers.Sum(l => l.Energy.TotalJ);
        // Each layer against the table directly: MAC 0.225 + add 0.1 + registers 0.003 x (48 + 40) bits per MAC.
        LayerEnergy first = report.Layers[0];
        double firstDynamicPj = (macs.Get * (0.225 + 0.1 + (0.003 * 88))) + ((accesses.Get + (accesses.Get / 2)) * 10.0) + ((128 + 5) * 8 * 20.0);
        return (Math.Abs(report.Total.TotalJ - sum) <= 1e-12 * sum
            && Math.Abs(first.Energy.DynamicJ - (firstDynamicPj * 1e-12)) <= 1e-9 * first.Energy.DynamicJ
            && Math.Abs(report.Layers[1].Energy.VectorJ - (elements.Get * 0.9e-12)) <= 1e-9 * report.Layers[1].Energy.VectorJ).ToProperty();
    }
}
