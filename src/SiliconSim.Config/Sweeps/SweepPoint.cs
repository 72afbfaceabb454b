using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// One expanded point: its index (stable: model outermost, then the axes' combination order), the value of every axis
/// (in axis order, as YAML text), the model, and either a valid spec with its resolved config YAML or the reason the
/// point was dropped (a constraint, or the config's diagnostics, its energy table's included).
/// </summary>
public sealed record SweepPoint
{
    /// <summary>The point's position in expansion order, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>Axis values in axis order.</summary>
    public required ImmutableArray<string> Values { get; init; }

    /// <summary>The model path.</summary>
    public required string Model { get; init; }

    /// <summary>The resolved config (null when dropped before a spec could be built).</summary>
    public AcceleratorSpec? Spec { get; init; }

    /// <summary>The energy table that prices <see cref="Spec"/> (checked to price it); null when the point was dropped.</summary>
    public EnergyTableSpec? EnergyTable { get; init; }

    /// <summary>The resolved config YAML (<see cref="ConfigWriter.Write"/> of <see cref="Spec"/>), or the patched text when invalid.</summary>
    public required string ConfigYaml { get; init; }

    /// <summary>Why the point will not run, or null when it will.</summary>
    public string? DropReason { get; init; }

    /// <summary>True when the point has a valid spec and energy table and passed every constraint.</summary>
    public bool Runnable => DropReason is null && Spec is not null && EnergyTable is not null;
}
