using System.Collections.Immutable;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// Expands a sweep into points in a stable order: models outermost, then the axes' combinations (grid: the first axis
/// outermost and the last fastest; zip: the i-th values together). Each point patches the base config's fields and
/// reloads it through <see cref="ConfigLoader"/>, so a point whose spec fails validation is dropped with the loader's
/// diagnostics as its reason; a point failing a constraint is dropped with that constraint as its reason.
/// </summary>
public static class SweepExpander
{
    /// <summary>Every point, dropped ones included (they appear in results with their reason).</summary>
    public static IEnumerable<SweepPoint> Expand(SweepDefinition sweep)
    {
        YamlNode baseTree = YamlTreeReader.Read(sweep.BaseYaml, sweep.Base, [])
            ?? throw new InvalidOperationException("the resolved base config does not parse");
        var combinations = Combinations(sweep).ToList();
        var configs = combinations.Select(values => Resolve(sweep, baseTree, values)).ToList();
        int index = 0;
        foreach (string model in sweep.Models)
        {
            for (int c = 0; c < combinations.Count; c++)
            {
                var (spec, yaml, reason) = configs[c];
                yield return new SweepPoint { Index = index++, Values = combinations[c], Model = model, Spec = spec, ConfigYaml = yaml, DropReason = reason };
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

    private static (Hardware.Specs.AcceleratorSpec? Spec, string Yaml, string? Reason) Resolve(SweepDefinition sweep, YamlNode baseTree, ImmutableArray<string> values)
    {
        YamlNode tree = baseTree;
        for (int k = 0; k < values.Length; k++)
        {
            tree = YamlPaths.Set(tree, sweep.Axes[k].Path, values[k]);
        }

        string text = YamlPaths.Write(tree);
        foreach (var (constraint, clauses) in sweep.Constraints)
        {
            foreach (SweepClause clause in clauses)
            {
                double? actual = SweepQuantities.Evaluate(tree, clause.Quantity);
                if (actual is not double v || !clause.Holds(v))
                {
                    return (null, text, $"constraint {constraint}: {clause.Quantity} is {(actual is double a ? Hardware.Specs.Parameters.SpecParameter.Format(a) : "not a number")}");
                }
            }
        }

        ConfigLoadResult loaded = ConfigLoader.LoadText(text, sweep.Base.EndsWith(".yaml", StringComparison.Ordinal) ? Path.GetFileName(sweep.Base) : sweep.Base + ".yaml");
        if (!loaded.Success)
        {
            return (null, text, "invalid config: " + string.Join("; ", loaded.Diagnostics.Select(d => d.Path.Length == 0 ? d.Message : $"{d.Path}: {d.Message}")));
        }

        return (loaded.Spec, ConfigWriter.Write(loaded.Spec!), null);
    }
}
