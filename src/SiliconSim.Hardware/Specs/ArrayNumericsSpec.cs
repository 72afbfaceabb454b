using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The arithmetic the array really performs: accumulator width and overflow, and how the output path requantizes.
/// The defaults (32-bit wrapping accumulator, fp32 requantizer) are ONNX Runtime's arithmetic, so goldens pass bit-exactly.
/// </summary>
public sealed record ArrayNumericsSpec
{
    /// <summary>
    /// Accumulator width in bits (2..64, config <c>array.accumulator_bits</c>); 32 is what ORT's int32 accumulation
    /// gives. Widths above 32 are valid only with the <see cref="RequantizerKind.Float32"/> requantizer.
    /// </summary>
    public int AccumulatorBits { get; init; } = 32;

    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Wrap;

    public RequantizerKind Requantizer { get; init; } = RequantizerKind.Float32;

    /// <summary>Rounding of the fixed-point requantizer's shift; used only with <see cref="RequantizerKind.FixedPoint"/>.</summary>
    public FixedPointRounding FixedPointRounding { get; init; } = FixedPointRounding.NearestAwayFromZero;

    /// <summary>How float8/float4 MACs sum a dot product (config <c>array.low_precision_accumulation</c>).</summary>
    public LowPrecisionAccumulation LowPrecisionAccumulation { get; init; } = LowPrecisionAccumulation.BlockExactThenFp32;

    /// <summary>True when these numerics are exactly ONNX Runtime's (the golden reference).</summary>
    public bool IsReference => AccumulatorBits == 32 && Overflow == OverflowPolicy.Wrap && Requantizer == RequantizerKind.Float32;
}
