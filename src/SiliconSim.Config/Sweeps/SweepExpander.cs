using System.Collections.Immutable;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// Expands a sweep into points in a stable order: models outermost, then the axes' combinations (grid: the first axis
/// outermost and the last fastest; zip: the i-th values together). Each point patches the base config's tree through
/// the one path setter (<see cref="YamlPaths"/>, shared with <c>--set</c>) and binds it through <see cref="ConfigLoader"/>
/// with its energy table, so a point whose spec fails validation, or whose table cannot be loaded or cannot price it, is
/// dropped with the loader's diagnostics as its reason; a valid point failing a constraint (evaluated on its resolved
/// spec, <see cref="SweepQuantities"/>) is dropped with that constraint as its reason.
/// </summary>
public static class SweepExpander
{
    /// <summary>Every point, dropped ones included (they appear in results with their reason).</summary>
    public static IEnumerable<SweepPoint> Expand(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);

        // The base tree is located in the base config's file, so a relative path an axis gives (energy: tables/x.yaml)
        // is taken from that file's folder, as it would be had it been written there.
        var (baseTree, file) = BaseTree(sweep);
        var combinations = Combinations(sweep).ToList();
        var configs = combinations.Select(values => Resolve(sweep, file, baseTree, values)).ToList();
        int index = 0;
        foreach (string model in sweep.Models)
        {
            for (int c = 0; c < combinations.Count; c++)
            {
                var (spec, table, yaml, reason) = configs[c];
                yield return new SweepPoint { Index = index++, Values = combinations[c], Model = model, Spec = spec, EnergyTable = table, ConfigYaml = yaml, DropReason = reason };
            }
        }
    }

    /// <summary>The axis value combinations in point order.</summary>
    public static IEnumerable<ImmutableArray<string>> Combinations(SweepDefinition sweep)
    {
        var axes = sweep.Axes;
        if (axes.IsEmpty)
        {
            yield return [];
            yield break;
        }

        if (sweep.Combine == SweepCombine.Zip)
        {
            for (int i = 0; i < axes[0].Values.Length; i++)
            {
                yield return [.. axes.Select(a => a.Values[i])];
            }

            yield break;
        }

        var at = new int[axes.Length];
        while (true)
        {
            yield return [.. axes.Select((a, k) => a.Values[at[k]])];
            int d = axes.Length - 1;
            while (d >= 0 && ++at[d] == axes[d].Values.Length)
            {
                at[d--] = 0;
            }

            if (d < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The grid point with value index <paramref name="at"/>[k] on axis k, for model <paramref name="model"/> (a search's
    /// points): its index is the one <see cref="Expand"/> gives it (models outermost, the last axis fastest), its spec
    /// resolved and its constraints checked as there. <paramref name="baseTree"/> is <see cref="BaseTree"/>'s result.
    /// </summary>
    internal static SweepPoint At(SweepDefinition sweep, (YamlNode Tree, string File) baseTree, int model, ImmutableArray<int> at)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        long index = model;
        for (int k = 0; k < at.Length; k++)
        {
            index = (index * sweep.Axes[k].Values.Length) + at[k];
        }

        ImmutableArray<string> values = [.. at.Select((v, k) => sweep.Axes[k].Values[v])];
        var (spec, table, yaml, reason) = Resolve(sweep, baseTree.File, baseTree.Tree, values);
        return new SweepPoint { Index = checked((int)index), Values = values, Model = sweep.Models[model], Spec = spec, EnergyTable = table, ConfigYaml = yaml, DropReason = reason };
    }

    /// <summary>The base config's tree and the file it is located in (see <see cref="Expand"/>), parsed once per sweep.</summary>
    internal static (YamlNode Tree, string File) BaseTree(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        string file = sweep.BaseConfigPath ?? (sweep.Base.EndsWith(".yaml", StringComparison.Ordinal) ? Path.GetFileName(sweep.Base) : sweep.Base + ".yaml");
        return (YamlTreeReader.Read(sweep.BaseYaml, file, []) ?? throw new InvalidOperationException("the resolved base config does not parse"), file);
    }

    private static (AcceleratorSpec? Spec, EnergyTableSpec? Table, string Yaml, string? Reason) Resolve(SweepDefinition sweep, string file, YamlNode baseTree, ImmutableArray<string> values)
    {
        YamlNode tree = baseTree;
        for (int k = 0; k < values.Length; k++)
        {
            tree = YamlPaths.Set(tree, sweep.Axes[k].Path, values[k]);
        }

        // A point that keeps the base's energy: shares the base's table (loaded once, and possibly named relative to a
        // base: file elsewhere); it is still checked to price the point, whose operand types or DRAM may differ.
        bool keepsTable = sweep.BaseEnergyTable is not null && sweep.BaseEnergyTablePath is not null && !sweep.Axes.Any(a => a.Path == "energy");
        ConfigLoadResult loaded = ConfigLoader.Resolve(tree, file, [], keepsTable ? (sweep.BaseEnergyTable!, sweep.BaseEnergyTablePath!) : null);
        if (!loaded.Success)
        {
            // No spec, so no constraint can be evaluated: the config's own problems are the reason.
            return (null, null, YamlPaths.Write(tree), "invalid config: " + string.Join("; ", loaded.Diagnostics.Select(d => d.Path.Length == 0 ? d.Message : $"{d.Path}: {d.Message}")));
        }

        AcceleratorSpec spec = loaded.Spec!;
        foreach (var (constraint, clauses) in sweep.Constraints)
        {
            foreach (SweepClause clause in clauses)
            {
                double? actual = SweepQuantities.Evaluate(spec, clause.Quantity);
                if (actual is not double v || !clause.Holds(v))
                {
                    return (null, null, YamlPaths.Write(tree), $"constraint {constraint}: {clause.Quantity} is {(actual is double a ? Hardware.Specs.Parameters.SpecParameter.Format(a) : "not a number")}");
                }
            }
        }

        return (spec, loaded.EnergyTable, ConfigWriter.Write(spec), null);
    }
}
