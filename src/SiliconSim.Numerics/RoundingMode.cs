namespace SiliconSim.Numerics;

/// <summary>How a value between two representable neighbours is resolved.</summary>
public enum RoundingMode
{
    /// <summary>To the nearest, ties to the even neighbour (IEEE 754 default, x86 MXCSR default, ONNX's rint).</summary>
    NearestEven,

    /// <summary>Toward zero (truncation, C's (int) cast).</summary>
    TowardZero,

    /// <summary>Toward +∞ in magnitude terms where the format is unsigned (E8M0 'up').</summary>
    Up,

    /// <summary>Toward −∞ in magnitude terms where the format is unsigned (E8M0 'down').</summary>
    Down,
}
