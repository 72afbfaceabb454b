using System.Collections.Immutable;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Adds metric columns to every sweep point from its timing result. <see cref="SweepRunner.DefaultEvaluators"/> is the
/// extension point (timing, energy, thermal). Evaluators run on worker threads and must be pure.
/// </summary>
internal interface IPointEvaluator
{
    /// <summary>Column names, in order; they become results.csv columns and per-point JSON metric names.</summary>
    ImmutableArray<string> Columns { get; }

    /// <summary>One value per column (null when not defined for this point).</summary>
    ImmutableArray<double?> Evaluate(PointContext point, SimulationResult result);
}
