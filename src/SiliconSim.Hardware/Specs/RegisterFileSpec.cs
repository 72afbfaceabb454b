namespace SiliconSim.Hardware.Specs;

/// <summary>Per-PE registers: the stationary operand and the accumulator live here.</summary>
public sealed record RegisterFileSpec
{
    /// <summary>Register bytes in each PE.</summary>
    public required int BytesPerPe { get; init; }
}
