namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The arithmetic of the integer matrix unit (the array) that runs QLinearConv, QGemm, QLinearMatMul, ConvInteger,
/// MatMulInteger and MatMulIntegerToFloat: accumulator width and overflow policy, and the requantizer.
/// <see cref="Reference"/> is ONNX Runtime's arithmetic, under which the fast kernels run and goldens match bit for bit;
/// any other value selects <see cref="ArrayMatrix"/>'s plain path, which computes what that hardware would.
/// </summary>
public sealed record MatrixNumerics
{
    private readonly int _accumulatorBits = 32;

    /// <summary>ORT's CPU arithmetic: a 32-bit wrapping accumulator (VNNI vpdpbusd adds wrap) and the fp32 requantizer.</summary>
    public static MatrixNumerics Reference { get; } = new();

    /// <summary>Accumulator width in bits, 2 to 32. Default 32: what ORT's int32 accumulation gives.</summary>
    /// <exception cref="ArgumentOutOfRangeException">outside 2..32.</exception>
    public int AccumulatorBits
    {
        get => _accumulatorBits;
        init => _accumulatorBits = value is >= 2 and <= 32 ? value : throw new ArgumentOutOfRangeException(nameof(AccumulatorBits), value, "accumulator width must be 2 to 32 bits");
    }

    /// <summary>What the accumulator does on overflow. Default <see cref="AccumulatorOverflow.Wrap"/>, as ORT's int32 adds.</summary>
    public AccumulatorOverflow Overflow { get; init; } = AccumulatorOverflow.Wrap;

    /// <summary>The requantizer of quantized outputs. Default <see cref="RequantizerArithmetic.Float32"/>, ORT's.</summary>
    public RequantizerArithmetic Requantizer { get; init; } = RequantizerArithmetic.Float32;

    /// <summary>Rounding of the fixed-point requantizer's final shift; unused with the fp32 requantizer. Default gemmlowp's.</summary>
    public ShiftRounding FixedPointRounding { get; init; } = ShiftRounding.NearestAwayFromZero;

    /// <summary>
    /// True when these numerics are exactly ORT's: 32-bit wrapping accumulation and the fp32 requantizer. A 32-bit
    /// saturating accumulator is not: it differs from ORT whenever an int32 partial sum would overflow.
    /// </summary>
    public bool IsReference => AccumulatorBits == 32 && Overflow == AccumulatorOverflow.Wrap && Requantizer == RequantizerArithmetic.Float32;

    /// <summary>A short description, e.g. "acc24 saturate, fixed-point nearest-away".</summary>
    public override string ToString() =>
        $"acc{AccumulatorBits} {(Overflow == AccumulatorOverflow.Wrap ? "wrap" : "saturate")}, " +
        (Requantizer == RequantizerArithmetic.Float32 ? "fp32 requantizer" : $"fixed-point {FixedPointRounding}");
}
