namespace SiliconSim.Hardware.Specs;

/// <summary>What an accumulator of a stated width does when a sum leaves its range.</summary>
public enum OverflowPolicy
{
    /// <summary>Two's-complement wrap-around, as a plain adder of that width does.</summary>
    Wrap,

    /// <summary>Clamp to the most negative or most positive value of the width.</summary>
    Saturate,
}
