using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>Builders for accelerator specs and layers in the memory-model tests.</summary>
public static class TestSpecs
{
    /// <summary>
    /// A stand-in for the array's compute timing (the real one lives in Timing): one cycle per 16 MACs, rounded up.
    /// Any positive function will do for the memory laws; hand-computed cases state theirs.
    /// </summary>
    public static long SixteenMacsPerCycle(GemmShape s) => (s.Macs + 15) / 16;

    public static BufferSpec Buffer(string name, BufferRole role, long capacity, bool doubleBuffered = false, int bytesPerCycle = 64, int ports = 2, int wordBytes = 4) =>
        new() { Name = name, Role = role, CapacityBytes = capacity, DoubleBuffered = doubleBuffered, BytesPerCycle = bytesPerCycle, Ports = ports, WordBytes = wordBytes };

    public static AcceleratorSpec Spec(
        ImmutableArray<BufferSpec> buffers,
        double bandwidthGBps = 1,
        double latencyNs = 10,
        int burstBytes = 16,
        double clockMhz = 1000,
        int rows = 4,
        int cols = 4,
        Dataflow dataflow = Dataflow.OutputStationary,
        int accumulatorBits = 32) => new()
        {
            Name = "test",
            ClockMhz = clockMhz,
            SupplyVoltageV = 0.8,
            TechnologyNodeNm = 28,
            Array = new ArraySpec
            {
                Rows = rows,
                Cols = cols,
                Dataflow = dataflow,
                OperandTypes = [DataType.UInt8, DataType.Int8],
                Numerics = new ArrayNumericsSpec { AccumulatorBits = accumulatorBits },
            },
            VectorUnit = new VectorUnitSpec
            {
                Lanes = 16,
                CyclesPerElement = ImmutableDictionary.CreateRange(new Dictionary<VectorOpClass, double>
                {
                    [VectorOpClass.Elementwise] = 1.5,
                    [VectorOpClass.Pooling] = 1,
                    [VectorOpClass.Reduction] = 1,
                    [VectorOpClass.Transcendental] = 4,
                    [VectorOpClass.Normalization] = 3,
                    [VectorOpClass.Quantize] = 1,
                }),
                Types = [DataType.Int8, DataType.Float],
            },
            Memory = new MemorySpec
            {
                Registers = new RegisterFileSpec { BytesPerPe = 8 },
                Buffers = buffers,
                Dram = new DramSpec { Type = "LPDDR4", BandwidthGBps = bandwidthGBps, LatencyNs = latencyNs, BurstBytes = burstBytes },
            },
        };

    public static MatrixLayer Gemm(long m, long n, long k, int groups = 1, DataType input = DataType.Int8, DataType weight = DataType.Int8, DataType output = DataType.UInt8) => new()
    {
        Name = "gemm",
        OpType = "QGemm",
        Gemm = new GemmShape(m, n, k),
        Groups = groups,
        InputType = input,
        WeightType = weight,
        OutputType = output,
        InputBytes = (groups * m * k * DataTypeInfo.BitWidth(input)) / 8,
        OutputBytes = (groups * m * n * DataTypeInfo.BitWidth(output)) / 8,
        WeightBytes = (groups * k * n * DataTypeInfo.BitWidth(weight)) / 8,
    };

    public static MatrixLayer Conv(ConvGeometry conv, DataType input = DataType.UInt8, DataType weight = DataType.Int8, DataType output = DataType.UInt8)
    {
        long cg = conv.InChannels / conv.Group, mg = conv.OutChannels / conv.Group;
        return new MatrixLayer
        {
            Name = "conv",
            OpType = "QLinearConv",
            Gemm = new GemmShape((long)conv.Batch * conv.OutSize, mg, cg * conv.KernelSize),
            Groups = conv.Group,
            InputType = input,
            WeightType = weight,
            OutputType = output,
            InputBytes = (long)conv.Batch * conv.InChannels * conv.InSize * DataTypeInfo.BitWidth(input) / 8,
            OutputBytes = (long)conv.Batch * conv.OutChannels * conv.OutSize * DataTypeInfo.BitWidth(output) / 8,
            WeightBytes = conv.OutChannels * cg * conv.KernelSize * DataTypeInfo.BitWidth(weight) / 8,
            Conv = conv,
        };
    }
}
