using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>The config names of every enumerated spec value (SCALE-Sim's <c>os/ws/is</c>, ONNX's lower-case type names).</summary>
public static class SpecNames
{
    public static NameTable<Dataflow> Dataflows { get; } = new(
        ("os", Dataflow.OutputStationary), ("ws", Dataflow.WeightStationary), ("is", Dataflow.InputStationary));

    public static NameTable<AccumulatorOverflow> Overflows { get; } = new(("wrap", AccumulatorOverflow.Wrap), ("saturate", AccumulatorOverflow.Saturate));

    public static NameTable<RequantizerArithmetic> Requantizers { get; } = new(
        ("float32", RequantizerArithmetic.Float32), ("fixed_point", RequantizerArithmetic.FixedPoint));

    public static NameTable<ShiftRounding> Roundings { get; } = new(
        ("nearest_away_from_zero", ShiftRounding.NearestAwayFromZero), ("nearest_up", ShiftRounding.NearestUp),
        ("nearest_even", ShiftRounding.NearestEven), ("floor", ShiftRounding.Floor));

    public static NameTable<LowPrecisionAccumulation> LowPrecisionAccumulations { get; } = new(
        ("block_exact_fp32", LowPrecisionAccumulation.BlockExactThenFp32), ("sequential_fp32", LowPrecisionAccumulation.SequentialFp32));

    public static NameTable<BufferRole> Roles { get; } = new(
        ("input", BufferRole.Input), ("weight", BufferRole.Weight), ("output", BufferRole.Output), ("unified", BufferRole.Unified));

    public static NameTable<ExecutionSchedule> Schedules { get; } = new(("layer_by_layer", ExecutionSchedule.LayerByLayer), ("depth_first", ExecutionSchedule.DepthFirst));

    public static NameTable<WeightPlacement> WeightPlacements { get; } = new(("stream", WeightPlacement.Stream), ("resident", WeightPlacement.Resident));

    public static NameTable<EpilogueFusion> Fusions { get; } = new(
        ("none", EpilogueFusion.None), ("epilogue", EpilogueFusion.Elementwise), ("epilogue_pooling", EpilogueFusion.ElementwiseAndPooling));

    public static NameTable<TimingModel> Timings { get; } = new(("corrected", TimingModel.Corrected), ("scalesim", TimingModel.ScaleSim));

    public static NameTable<VectorOpClass> VectorOpClasses { get; } = new(
        ("elementwise", VectorOpClass.Elementwise), ("pooling", VectorOpClass.Pooling), ("reduction", VectorOpClass.Reduction),
        ("transcendental", VectorOpClass.Transcendental), ("normalization", VectorOpClass.Normalization),
        ("quantize", VectorOpClass.Quantize), ("data_movement", VectorOpClass.DataMovement));

    /// <summary>Types a MAC array may take as operands; the simulation checks at run time which ones it implements.</summary>
    public static NameTable<DataType> OperandTypes { get; } = new(
        ("int2", DataType.Int2), ("uint2", DataType.UInt2), ("int4", DataType.Int4), ("uint4", DataType.UInt4),
        ("int8", DataType.Int8), ("uint8", DataType.UInt8), ("int16", DataType.Int16), ("uint16", DataType.UInt16),
        ("float8e4m3fn", DataType.Float8E4M3FN), ("float8e5m2", DataType.Float8E5M2), ("float4e2m1", DataType.Float4E2M1),
        ("float16", DataType.Float16), ("bfloat16", DataType.BFloat16));

    /// <summary>Types a vector unit may compute in.</summary>
    public static NameTable<DataType> VectorTypes { get; } = new(
        ("int4", DataType.Int4), ("uint4", DataType.UInt4), ("int8", DataType.Int8), ("uint8", DataType.UInt8),
        ("int16", DataType.Int16), ("uint16", DataType.UInt16), ("int32", DataType.Int32),
        ("float8e4m3fn", DataType.Float8E4M3FN), ("float8e5m2", DataType.Float8E5M2),
        ("float16", DataType.Float16), ("bfloat16", DataType.BFloat16), ("float32", DataType.Float));

    /// <summary>DRAM standards: config name to <see cref="DramSpec.Type"/> (upper case, as the energy tables name them).</summary>
    public static NameTable<string> DramTypes { get; } = new(
        ("lpddr4", "LPDDR4"), ("lpddr4x", "LPDDR4X"), ("lpddr5", "LPDDR5"), ("lpddr5x", "LPDDR5X"), ("ddr3", "DDR3"), ("ddr4", "DDR4"),
        ("ddr5", "DDR5"), ("gddr6", "GDDR6"), ("hbm2", "HBM2"), ("hbm2e", "HBM2E"), ("hbm3", "HBM3"));
}
