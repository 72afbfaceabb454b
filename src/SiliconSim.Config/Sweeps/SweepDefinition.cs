using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// A checked sweep file: the base config (resolved, every field written), the models, the axes and how they combine,
/// and the constraints (each a list of clauses that must all hold).
/// </summary>
public sealed record SweepDefinition
{
    /// <summary>The sweep file, for messages.</summary>
    public required string File { get; init; }

    /// <summary>The base preset name or config path as written.</summary>
    public required string Base { get; init; }

    /// <summary>
    /// The base config's file (a preset's file for a preset name); points resolve relative paths, such as an axis over
    /// <c>energy</c>, against its folder. Null only for a definition built by hand.
    /// </summary>
    public string? BaseConfigPath { get; init; }

    /// <summary>The base config's energy table, loaded and checked once; every point that keeps its <c>energy:</c> shares it.</summary>
    public EnergyTableSpec? BaseEnergyTable { get; init; }

    /// <summary>The full path of <see cref="BaseEnergyTable"/>'s file, for messages.</summary>
    public string? BaseEnergyTablePath { get; init; }

    /// <summary>The base config written in full by <see cref="ConfigWriter"/>; axes patch this text's fields.</summary>
    public required string BaseYaml { get; init; }

    /// <summary>The models (paths resolved against the sweep file's folder), in file order.</summary>
    public required ImmutableArray<string> Models { get; init; }

    /// <summary>The axes in file order.</summary>
    public required ImmutableArray<SweepAxis> Axes { get; init; }

    /// <summary>Grid or zip.</summary>
    public required SweepCombine Combine { get; init; }

    /// <summary>The constraints; each is clauses joined by <c>and</c>, with its text as written.</summary>
    public required ImmutableArray<(string Text, ImmutableArray<SweepClause> Clauses)> Constraints { get; init; }

    /// <summary>
    /// Seconds of back-to-back inference each point's thermal model runs (0 turns the thermal columns off). The default
    /// is <c>siliconsim run</c>'s <c>--thermal-seconds</c>, so a point's temperatures are what a plain <c>run</c> of its
    /// config prints; 600 s is two time constants of the presets' heatsinks (20 J/K x 15 K/W), long enough for most
    /// packages to reach throttling if they ever will.
    /// </summary>
    public double ThermalSeconds { get; init; } = DefaultThermalSeconds;

    /// <summary>The axis whose values colour the Pareto plot; null: the first axis (config key <c>color_by</c>).</summary>
    public string? ColorBy { get; init; }

    /// <summary>The search that picks points from the axes' grid (<c>search:</c>); null: every point of the grid or zip.</summary>
    public Search.SweepSearch? Search { get; init; }

    /// <summary>See <see cref="ThermalSeconds"/>.</summary>
    public const double DefaultThermalSeconds = 600;

    /// <summary>The number of config combinations (before constraints), times the model count gives the points.</summary>
    public long CombinationCount => Axes.IsEmpty ? 1
        : Combine == SweepCombine.Zip ? Axes[0].Values.Length
        : Axes.Aggregate(1L, (n, a) => n * a.Values.Length);
}
