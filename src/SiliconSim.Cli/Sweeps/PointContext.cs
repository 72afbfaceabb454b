using SiliconSim.Config.Sweeps;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Cli.Sweeps;

/// <summary>What an evaluator may read about a point: the point (spec, values) and its model's layers.</summary>
internal sealed record PointContext(SweepPoint Point, System.Collections.Immutable.ImmutableArray<LayerWork> Layers);
