using System.Collections.Immutable;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation;

/// <summary>The performance model's answer: a result when the model fits the hardware, otherwise every problem found.</summary>
public sealed record PerformanceOutcome(SimulationResult? Result, ImmutableArray<SimulationProblem> Problems)
{
    public bool Success => Result is not null;
}
