namespace SiliconSim.Simulation.Thermal;

/// <summary>One point of the temperature trace: junction temperature at <see cref="TimeS"/>, mean total power since the previous sample, and the DVFS step then in force.</summary>
public readonly record struct ThermalSample(double TimeS, double JunctionC, double PowerW, int DvfsStep, double FrequencyMhz);
