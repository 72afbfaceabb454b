namespace SiliconSim.Hardware.Energy;

/// <summary>Word accesses to the SRAM buffer named <see cref="Name"/> (a <c>BufferSpec.Name</c> of the accelerator).</summary>
public sealed record BufferAccessCount(string Name, long ReadAccesses, long WriteAccesses);
