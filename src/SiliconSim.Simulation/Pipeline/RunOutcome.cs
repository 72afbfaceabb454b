using System.Collections.Immutable;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// The pipeline's answer for one spec: a result when the workload fits the hardware, otherwise every problem found,
/// each naming the config field at fault (Timeloop's evaluation status with its reason).
/// </summary>
public sealed record RunOutcome(RunResult? Result, ImmutableArray<SimulationProblem> Problems)
{
    public bool Success => Result is not null;
}
