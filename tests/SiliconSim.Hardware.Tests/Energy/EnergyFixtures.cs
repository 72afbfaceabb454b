using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Tests.Energy;

/// <summary>A small table with Horowitz's ISSCC 2014 numbers typed in by hand, and an accelerator whose buffers sit
/// exactly on the table's SRAM points (so each access costs a published number, no interpolation).</summary>
internal static class EnergyFixtures
{
    public static EnergyTableSpec Table { get; } = new()
    {
        Name = "test-45nm",
        TechnologyNodeNm = 45,
        SupplyVoltageV = 0.9,
        Macs = [new(DataType.Int8, DataType.Int8, 0.2), new(DataType.UInt8, DataType.Int8, 0.225), new(DataType.UInt8, DataType.UInt8, 0.2), new(DataType.Float16, DataType.Float16, 1.1)],
        IntegerAdd = [new(8, 0.03), new(32, 0.1)],
        Float16AddPj = 0.4,
        Float32AddPj = 0.9,
        RegisterReadPjPerBit = 0.003,
        RegisterWritePjPerBit = 0.004,
        Sram = [new(8 * 1024, 64, 10, 11), new(32 * 1024, 64, 20, 22), new(1024 * 1024, 64, 100, 110)],
        DramPjPerBit = ImmutableDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, double>("DDR3", 20.3), new("HBM2", 3.97)]),
        VectorPjPerElement = ImmutableDictionary.CreateRange([new KeyValuePair<VectorOpClass, double>(VectorOpClass.Elementwise, 0.9), new(VectorOpClass.Transcendental, 23)]),
        SramLeakageUwPerKib = 10,
        PeLeakageUw = 1,
        LeakageReferenceC = 25,
        ClockOverheadFraction = 0.2,
        NodeScaling = [new(65, 1.1, 1.9), new(45, 1.0, 1.0), new(28, 0.9, 0.5)],
    };

    /// <summary>Buffers of 8 KiB, 32 KiB and 1 MiB with 8-byte words, at the table's node and voltage.</summary>
    public static AcceleratorSpec Accelerator { get; } = new()
    {
        Name = "test",
        ClockMhz = 500,
        SupplyVoltageV = 0.9,
        TechnologyNodeNm = 45,
        Array = new ArraySpec { Rows = 4, Cols = 8, Dataflow = Dataflow.WeightStationary, OperandTypes = [DataType.UInt8, DataType.Int8], Numerics = new ArrayNumericsSpec() },
        VectorUnit = new VectorUnitSpec { Lanes = 4, CyclesPerElement = ImmutableDictionary<VectorOpClass, double>.Empty, Types = [DataType.Int8] },
        Memory = new MemorySpec
        {
            Registers = new RegisterFileSpec { BytesPerPe = 8 },
            Buffers =
            [
                new BufferSpec { Name = "in", Role = BufferRole.Input, CapacityBytes = 8 * 1024, WordBytes = 8, BytesPerCycle = 8 },
                new BufferSpec { Name = "w", Role = BufferRole.Weight, CapacityBytes = 32 * 1024, WordBytes = 8, BytesPerCycle = 8 },
                new BufferSpec { Name = "out", Role = BufferRole.Output, CapacityBytes = 1024 * 1024, WordBytes = 8, BytesPerCycle = 8 },
            ],
            Dram = new DramSpec { Type = "DDR3", BandwidthGBps = 10, LatencyNs = 100, BurstBytes = 64 },
        },
    };
}
