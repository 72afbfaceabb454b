using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The arithmetic the array really performs: accumulator width and overflow, and how the output path requantizes.
/// The defaults (32-bit wrapping accumulator, fp32 requantizer) are ONNX Runtime's arithmetic, so goldens pass bit-exactly;
/// they and their reasons live in the parameter catalogue (<c>array.*</c>), which the initializers read.
/// </summary>
public sealed record ArrayNumericsSpec
{
    /// <summary>
    /// Accumulator width in bits (2..64, config <c>array.accumulator_bits</c>); 32 is what ORT's int32 accumulation
    /// gives. Widths above 32 are valid only with the <see cref="RequantizerArithmetic.Float32"/> requantizer.
    /// </summary>
    public int AccumulatorBits { get; init; } = SpecParameters.Default<int>("array.accumulator_bits");

    public AccumulatorOverflow Overflow { get; init; } = SpecParameters.Default<AccumulatorOverflow>("array.overflow");

    public RequantizerArithmetic Requantizer { get; init; } = SpecParameters.Default<RequantizerArithmetic>("array.requantizer");

    /// <summary>Rounding of the fixed-point requantizer's shift; used only with <see cref="RequantizerArithmetic.FixedPoint"/>.</summary>
    public ShiftRounding FixedPointRounding { get; init; } = SpecParameters.Default<ShiftRounding>("array.fixed_point_rounding");

    /// <summary>How float8/float4 MACs sum a dot product (config <c>array.low_precision_accumulation</c>).</summary>
    public LowPrecisionAccumulation LowPrecisionAccumulation { get; init; } = SpecParameters.Default<LowPrecisionAccumulation>("array.low_precision_accumulation");

    /// <summary>True when these numerics are exactly ONNX Runtime's (the golden reference).</summary>
    public bool IsReference => AccumulatorBits == 32 && Overflow == AccumulatorOverflow.Wrap && Requantizer == RequantizerArithmetic.Float32;

    /// <summary>
    /// The executor's <see cref="MatrixNumerics"/> for this array: the same overflow policy, requantizer and shift
    /// rounding. The executor's kernels accumulate in at most 32 bits, so a wider accumulator (33..64 bits, which never
    /// overflows on 8-bit operands until K exceeds 2^(bits-17)) runs as a 32-bit saturating one: identical unless an
    /// int32 sum would overflow, and then the closest an int32 datapath can come.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">the width is below 2.</exception>
    public MatrixNumerics ToMatrixNumerics() => new()
    {
        AccumulatorBits = Math.Min(AccumulatorBits, 32),
        Overflow = AccumulatorBits > 32 ? AccumulatorOverflow.Saturate : Overflow,
        Requantizer = Requantizer,
        FixedPointRounding = FixedPointRounding,
    };
}
