namespace SiliconSim.Hardware.Specs;

/// <summary>
/// One operating point of the throttling governor: a core clock and the supply voltage that sustains it. Relative to
/// the spec's nominal <see cref="AcceleratorSpec.ClockMhz"/> and <see cref="AcceleratorSpec.SupplyVoltageV"/>, work
/// takes <c>f0 / f</c> times as long and each operation costs <c>(V / V0)^2</c> times the dynamic energy.
/// </summary>
public sealed record DvfsStep(double FrequencyMhz, double VoltageV);
