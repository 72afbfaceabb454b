namespace SiliconSim.Numerics.Kernels;

/// <summary>What a matrix accumulator of a stated width does when a partial sum leaves its range.</summary>
public enum AccumulatorOverflow
{
    /// <summary>Two's-complement wrap-around, as a plain adder of that width does (ORT's int32 accumulation at 32 bits).</summary>
    Wrap,

    /// <summary>Clamp to the most negative or most positive value of the width after every addition.</summary>
    Saturate,
}
