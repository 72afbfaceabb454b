using System.Collections.Immutable;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// A sweep's grid as a space to search: any point resolved on demand by its value index per axis (a search visits a
/// few hundred points of a grid that may hold millions, so the grid is never expanded whole).
/// </summary>
public sealed class SweepSpace
{
    private readonly SweepDefinition _sweep;
    private readonly (YamlNode Tree, string File) _base;

    public SweepSpace(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        _sweep = sweep;
        _base = SweepExpander.BaseTree(sweep);
        AxisLengths = [.. sweep.Axes.Select(a => a.Values.Length)];
    }

    /// <summary>The number of values of each axis, in axis order.</summary>
    public ImmutableArray<int> AxisLengths { get; }

    /// <summary>The point of model <paramref name="model"/> (its position in the models) at value indices <paramref name="at"/>, with the index the grid expansion gives it.</summary>
    public SweepPoint At(int model, ImmutableArray<int> at) => SweepExpander.At(_sweep, _base, model, at);
}
