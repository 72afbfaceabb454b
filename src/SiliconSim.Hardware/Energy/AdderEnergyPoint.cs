namespace SiliconSim.Hardware.Energy;

/// <summary>A published integer-adder energy: <see cref="EnergyPj"/> per add of <see cref="Bits"/>-bit operands.</summary>
public sealed record AdderEnergyPoint(int Bits, double EnergyPj);
