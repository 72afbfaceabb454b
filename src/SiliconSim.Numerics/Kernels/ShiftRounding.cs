namespace SiliconSim.Numerics.Kernels;

/// <summary>The rounding of the fixed-point requantizer's final arithmetic right shift.</summary>
public enum ShiftRounding
{
    /// <summary>Nearest, ties away from zero: gemmlowp's RoundingDivideByPOT (fixedpoint/fixedpoint.h), TFLite's default.</summary>
    NearestAwayFromZero,

    /// <summary>Nearest, ties toward +∞: add 2^(n−1), then shift (the cheapest rounding adder in RTL).</summary>
    NearestUp,

    /// <summary>Nearest, ties to even.</summary>
    NearestEven,

    /// <summary>Plain arithmetic right shift: toward −∞.</summary>
    Floor,
}
