namespace SiliconSim.Simulation.Pipeline;

/// <summary>Seconds spent at one operating point.</summary>
public sealed record DvfsResidency(double FrequencyMhz, double VoltageV, double Seconds);
