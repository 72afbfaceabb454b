namespace SiliconSim.Hardware.Energy;

/// <summary>A published SRAM access energy: one read or write of a <see cref="WordBits"/>-bit word of an SRAM of
/// <see cref="CapacityBytes"/>, in pJ.</summary>
public sealed record SramEnergyPoint(long CapacityBytes, int WordBits, double ReadPj, double WritePj);
