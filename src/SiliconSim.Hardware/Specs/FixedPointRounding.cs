namespace SiliconSim.Hardware.Specs;

/// <summary>The rounding of the fixed-point requantizer's final right shift.</summary>
public enum FixedPointRounding
{
    /// <summary>gemmlowp's RoundingDivideByPOT: round to nearest, ties away from zero.</summary>
    NearestAwayFromZero,

    /// <summary>Round to nearest, ties toward +infinity (add half, then arithmetic shift), as many RTL requantizers do.</summary>
    NearestUp,

    /// <summary>Round to nearest, ties to even.</summary>
    NearestEven,

    /// <summary>Plain arithmetic right shift (floor), the cheapest hardware.</summary>
    Floor,
}
