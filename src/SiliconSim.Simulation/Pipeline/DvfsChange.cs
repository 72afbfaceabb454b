namespace SiliconSim.Simulation.Pipeline;

/// <summary>A governor step change: at <paramref name="TimeS"/>, with the junction at <paramref name="JunctionC"/>,
/// the clock went from <paramref name="FromMhz"/> to <paramref name="ToMhz"/>.</summary>
public sealed record DvfsChange(double TimeS, double JunctionC, double FromMhz, double ToMhz)
{
    /// <summary>True for a step down (throttling), false for a recovery.</summary>
    public bool Throttle => ToMhz < FromMhz;
}
