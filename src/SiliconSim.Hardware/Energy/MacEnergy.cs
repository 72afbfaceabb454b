using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Energy;

/// <summary>
/// The multiply energy of one MAC for an operand pair, in pJ at the table's node and voltage. The pair is unordered
/// (a x b costs what b x a costs); the accumulate is priced separately as an accumulator add.
/// </summary>
public sealed record MacEnergy(DataType Input, DataType Weight, double MultiplyPj)
{
    /// <summary>True when this entry prices <paramref name="a"/> x <paramref name="b"/> in either order.</summary>
    public bool Matches(DataType a, DataType b) => (Input == a && Weight == b) || (Input == b && Weight == a);
}
