namespace SiliconSim.Hardware.Energy;

/// <summary>The energy of one SRAM buffer's reads and writes, in joules.</summary>
public sealed record BufferEnergy(string Name, double ReadJ, double WriteJ)
{
    public double TotalJ => ReadJ + WriteJ;
}
