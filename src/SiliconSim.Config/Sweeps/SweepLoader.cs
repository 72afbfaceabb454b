using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Files;
using SiliconSim.Config.Sweeps.Search;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// Reads a sweep file (<c>configs/sweeps/*.yaml</c>) and checks it completely before any point runs: the base config
/// loads with its energy table (a table that cannot be loaded or cannot price the base is an error naming the table
/// file, never a sweep with empty energy columns), every axis names an existing scalar field (a close name is
/// suggested) and has values, zip axes have equal lengths, every constraint parses and names a known quantity. Each
/// problem is a diagnostic at file:line:column.
/// <code>
/// base: edge-npu                       # preset name, or a config file relative to this file
/// models: [../../workloads/digits/digits_cnn_qdq_s8s8_channel]   # .onnx, test-case folders, SCALE-Sim .csv topologies
/// combine: grid                        # or zip
/// axes:
///   array.rows: [8, 16, 32]            # a list
///   clock_mhz: {start: 200, stop: 1000, step: 200}        # a linear range, stop included
///   memory.dram.bandwidth_gbps: {start: 2, stop: 32, factor: 2}  # a log range by factor
///   memory.buffers[0].capacity_kib: {start: 16, stop: 256, count: 5, log: true}  # count values, log-spaced
/// constraints:
///   - total_sram_kib &lt;= 1024 and pe_count >= 64
/// thermal_seconds: 600                 # back-to-back inference per point's thermal model; 0 = no thermal columns
/// color_by: array.cols                 # the axis that colours the Pareto plot (default: the first axis)
/// max_points: 10000                    # the most points (axes' combinations x models) the sweep may expand to
/// search: nsga2                        # or random, latin_hypercube: evaluate `budget` points of the grid, not all
/// seed: 1                              # the search's seed (its points are a function of it)
/// budget: 300                          # points the search evaluates (at most max_points)
/// population: 24                       # NSGA-II's population
/// objectives: [latency_s, energy_j]    # metric columns the search minimizes
/// </code>
/// The point count is computed from the axes before any value list is built, so a range of 10^7 values (or
/// <c>step: 1e-300</c>, <c>factor: 1.0000000001</c>) is an error naming its count, not minutes of expansion.
/// </summary>
public static partial class SweepLoader
{
    /// <summary>
    /// The default <c>max_points</c>: ten times the largest bundled sweep (bench-digits-1200), and about as many points
    /// as a laptop times in an hour; a larger sweep says so with <c>max_points</c>.
    /// </summary>
    public const long DefaultMaxPoints = 10_000;

    private static readonly string[] s_keys = ["base", "models", "combine", "axes", "constraints", "thermal_seconds", "color_by", "max_points", "search", "seed", "budget", "population", "objectives"];
    private static readonly string[] s_rangeKinds = ["step", "count", "factor"];

    /// <summary>Loads a sweep file; an unreadable file is a diagnostic.</summary>
    public static SweepLoadResult LoadFile(string path)
    {
        try
        {
            return LoadText(InputFiles.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SweepLoadResult(null, [new ConfigDiagnostic(new SourceLocation(path, 1, 1), string.Empty, e is InputFileException ? e.Message : $"cannot read the file: {e.Message}")]);
        }
    }

    /// <summary>Loads sweep text; relative paths (base file, models) resolve against <paramref name="file"/>'s folder.</summary>
    public static SweepLoadResult LoadText(string text, string file)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        void Error(SourceLocation at, string path, string message) => diagnostics.Add(new ConfigDiagnostic(at, path, message));
        YamlNode? root = YamlTreeReader.Read(text, file, diagnostics);
        if (root is null)
        {
            return new SweepLoadResult(null, [.. diagnostics]);
        }

        if (root is not YamlMapping top)
        {
            Error(root.Location, string.Empty, "a sweep file must be a mapping with base, models and axes");
            return new SweepLoadResult(null, [.. diagnostics]);
        }

        foreach (var (key, _) in top.Entries.Where(e => !s_keys.Contains(e.Key.Text)))
        {
            string? near = KeySuggester.Closest(key.Text, s_keys);
            Error(key.Location, key.Text, $"unknown key '{key.Text}'{(near is null ? string.Empty : $" (did you mean '{near}'?)")}; expected one of {string.Join(", ", s_keys)}");
        }

        YamlNode? Get(string key) => top.Entries.FirstOrDefault(e => e.Key.Text == key).Value;
        string folder = Path.GetDirectoryName(file) ?? string.Empty;

        // The base: a config file beside the sweep, else a preset name.
        string baseName = Get("base") is YamlScalar { IsNull: false } b ? b.Text : string.Empty;
        YamlNode? baseTree = null;
        string baseYaml = string.Empty;
        ConfigLoadResult? baseConfig = null;
        if (baseName.Length == 0)
        {
            Error(Get("base")?.Location ?? top.Location, "base", "must name a preset or a config file");
        }
        else
        {
            string beside = Path.Combine(folder, baseName);
            ConfigLoadResult loaded = File.Exists(beside) ? ConfigLoader.LoadFile(beside) : PresetCatalog.Load(baseName);
            if (!loaded.Success)
            {
                foreach (ConfigDiagnostic d in loaded.Diagnostics)
                {
                    string message = d.Location.File == baseName ? d.Message : $"{d}";
                    Error(Get("base")!.Location, "base", $"'{baseName}': {message}");
                }
            }
            else
            {
                baseConfig = loaded;
                baseYaml = ConfigWriter.Write(loaded.Spec!);
                baseTree = YamlTreeReader.Read(baseYaml, baseName, []);
            }
        }

        // Models: a list (or one) of .onnx files, test-case folders or SCALE-Sim topology CSVs, relative to the sweep file.
        var models = ImmutableArray.CreateBuilder<string>();
        YamlNode? modelsNode = Get("models");
        IEnumerable<YamlNode> modelItems = modelsNode switch
        {
            YamlSequence s => s.Items,
            YamlScalar { IsNull: false } s => [s],
            _ => [],
        };
        foreach (YamlNode m in modelItems)
        {
            if (m is not YamlScalar ms)
            {
                Error(m.Location, "models", "each model must be a path");
                continue;
            }

            string p = Path.Combine(folder, ms.Text);
            if (!File.Exists(p) && !Directory.Exists(p))
            {
                Error(ms.Location, "models", $"no such model file, test-case folder or topology: {ms.Text}");
            }

            models.Add(p);
        }

        if (models.Count == 0 && !diagnostics.Any(d => d.Path == "models"))
        {
            Error(modelsNode?.Location ?? top.Location, "models", "must list at least one model (.onnx file, test-case folder or SCALE-Sim topology .csv)");
        }

        var combine = SweepCombine.Grid;
        if (Get("combine") is YamlNode c)
        {
            if (c is YamlScalar { Text: "grid" or "zip" } cs)
            {
                combine = cs.Text == "zip" ? SweepCombine.Zip : SweepCombine.Grid;
            }
            else
            {
                Error(c.Location, "combine", "must be grid or zip");
            }
        }

        long maxPoints = DefaultMaxPoints;
        if (Get("max_points") is YamlNode mp)
        {
            if (mp is YamlScalar { IsNull: false } mps && long.TryParse(mps.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long max) && max >= 1)
            {
                maxPoints = max;
            }
            else
            {
                Error(mp.Location, "max_points", $"must be a positive integer, got '{(mp as YamlScalar)?.Text ?? "a collection"}'");
            }
        }

        var axes = ImmutableArray.CreateBuilder<SweepAxis>();
        if (Get("axes") is YamlMapping axesMap)
        {
            foreach (var (key, value) in axesMap.Entries)
            {
                if (ReadAxis(key, value, baseTree, maxPoints, Error) is SweepAxis axis)
                {
                    axes.Add(axis);
                }
            }
        }
        else if (Get("axes") is YamlNode bad && !(bad is YamlScalar { IsNull: true }))
        {
            Error(bad.Location, "axes", "must map config paths to values (a list or {start, stop, step|count|factor})");
        }

        if (combine == SweepCombine.Zip && axes.Count > 1 && axes.Any(a => a.Values.Length != axes[0].Values.Length))
        {
            Error(Get("combine")!.Location, "combine", "zip needs axes of equal length; got " + string.Join(", ", axes.Select(a => $"{a.Path}: {a.Values.Length}")));
        }

        // Counted in double: a product of axis lengths can pass 2^63 before it is compared.
        double points = (combine == SweepCombine.Zip ? (axes.Count == 0 ? 1 : axes[0].Values.Length) : axes.Aggregate(1.0, (n, a) => n * a.Values.Length)) * Math.Max(1, models.Count);
        SweepSearch? search = ReadSearch(top, combine, models.Count, points, maxPoints, Error);
        if (search is null && points > maxPoints && !diagnostics.Any(d => d.Path == "max_points"))
        {
            Error(Get("axes")?.Location ?? top.Location, "axes", $"the sweep expands to {Count(points)} points ({(combine == SweepCombine.Zip ? "zip" : "grid")} of {string.Join(" x ", axes.Select(a => a.Values.Length))} over {models.Count} model(s)), more than max_points {maxPoints}; set max_points to allow more");
        }

        var constraints = ImmutableArray.CreateBuilder<(string, ImmutableArray<SweepClause>)>();
        IEnumerable<YamlNode> constraintItems = Get("constraints") switch
        {
            YamlSequence s => s.Items,
            YamlScalar { IsNull: false } s => [s],
            _ => [],
        };
        foreach (YamlNode item in constraintItems)
        {
            if (item is YamlScalar cs && ReadConstraint(cs, baseTree, Error) is { } clauses)
            {
                constraints.Add((cs.Text, clauses));
            }
            else if (item is not YamlScalar)
            {
                Error(item.Location, "constraints", "each constraint must be text like 'total_sram_kib <= 1024'");
            }
        }

        double thermalSeconds = SweepDefinition.DefaultThermalSeconds;
        if (Get("thermal_seconds") is YamlNode ts)
        {
            // A 1e6 s cap keeps a typo from turning a sweep into days of thermal stepping (one step per control period).
            if (ts is YamlScalar { IsNull: false } tss && double.TryParse(tss.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0 and <= 1e6)
            {
                thermalSeconds = seconds;
            }
            else
            {
                Error(ts.Location, "thermal_seconds", $"must be a number of seconds from 0 (no thermal columns) to 1e6, got '{(ts as YamlScalar)?.Text ?? "a collection"}'");
            }
        }

        string? colorBy = null;
        if (Get("color_by") is YamlNode cb)
        {
            if (cb is YamlScalar { IsNull: false } cbs && axes.Any(a => a.Path == cbs.Text))
            {
                colorBy = cbs.Text;
            }
            else
            {
                Error(cb.Location, "color_by", $"must name one of the axes ({string.Join(", ", axes.Select(a => a.Path))}), got '{(cb as YamlScalar)?.Text ?? "a collection"}'");
            }
        }

        if (diagnostics.Count > 0)
        {
            return new SweepLoadResult(null, [.. diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column)]);
        }

        return new SweepLoadResult(
            new SweepDefinition
            {
                File = file,
                Base = baseName,
                BaseYaml = baseYaml,
                BaseConfigPath = baseConfig?.ConfigPath,
                BaseEnergyTable = baseConfig?.EnergyTable,
                BaseEnergyTablePath = baseConfig?.EnergyTablePath,
                Models = models.ToImmutable(),
                Axes = axes.ToImmutable(),
                Combine = combine,
                Constraints = constraints.ToImmutable(),
                ThermalSeconds = thermalSeconds,
                ColorBy = colorBy,
                Search = search,
            },
            []);
    }

    /// <summary>
    /// The search settings, or null without <c>search:</c> (then seed, budget, population and objectives are errors).
    /// A search explores one model's grid: its objectives compare configs, which across models would compare workloads.
    /// </summary>
    private static SweepSearch? ReadSearch(YamlMapping top, SweepCombine combine, int modelCount, double gridPoints, long maxPoints, Action<SourceLocation, string, string> error)
    {
        YamlNode? Get(string key) => top.Entries.FirstOrDefault(e => e.Key.Text == key).Value;
        string[] settings = ["seed", "budget", "population", "objectives"];
        if (Get("search") is not YamlNode node)
        {
            foreach (var (key, _) in top.Entries.Where(e => settings.Contains(e.Key.Text)))
            {
                error(key.Location, key.Text, "only a search has this setting; add search: random, latin_hypercube or nsga2");
            }

            return null;
        }

        SearchMethod? method = node is YamlScalar { Text: "random" } ? SearchMethod.Random
            : node is YamlScalar { Text: "latin_hypercube" } ? SearchMethod.LatinHypercube
            : node is YamlScalar { Text: "nsga2" } ? SearchMethod.Nsga2 : null;
        if (method is null)
        {
            error(node.Location, "search", $"must be random, latin_hypercube or nsga2, got '{(node as YamlScalar)?.Text ?? "a collection"}'");
        }

        if (combine == SweepCombine.Zip)
        {
            error(node.Location, "search", "a search explores the grid of the axes; remove combine: zip");
        }

        if (modelCount > 1)
        {
            error(node.Location, "search", $"a search explores one model's configs; got {modelCount} models (write one sweep per model)");
        }

        if (gridPoints > int.MaxValue)
        {
            error(node.Location, "search", $"the grid has {Count(gridPoints)} points, more than a point index holds ({int.MaxValue:N0})");
        }

        long? Integer(string key, long min, long fallback)
        {
            if (Get(key) is not YamlNode v)
            {
                return fallback;
            }

            if (v is YamlScalar { IsNull: false } vs && long.TryParse(vs.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long x) && x >= min)
            {
                return x;
            }

            error(v.Location, key, $"must be an integer >= {min}, got '{(v as YamlScalar)?.Text ?? "a collection"}'");
            return null;
        }

        long? seed = Integer("seed", 0, (long)SweepSearch.DefaultSeed);
        long? budget = Get("budget") is null ? null : Integer("budget", 1, 0);
        if (Get("budget") is null)
        {
            error(node.Location, "budget", "a search needs budget: the number of points it may evaluate");
        }
        else if (budget > maxPoints)
        {
            error(Get("budget")!.Location, "budget", $"{budget} is more than max_points {maxPoints}; set max_points to allow more");
        }

        // Two parents are the least a tournament and a crossover need.
        long? population = Integer("population", 2, SweepSearch.DefaultPopulation);
        var objectives = SweepSearch.DefaultObjectives;
        SourceLocation objectivesAt = node.Location;
        if (Get("objectives") is YamlNode o)
        {
            objectivesAt = o.Location;
            if (o is YamlSequence { Items.Length: 2 } seq && seq.Items.All(i => i is YamlScalar { IsNull: false }))
            {
                objectives = [.. seq.Items.Select(i => ((YamlScalar)i).Text)];
            }
            else
            {
                error(o.Location, "objectives", "must list two metric columns to minimize, like [latency_s, energy_j]");
            }
        }

        return method is SearchMethod m && seed is long s && budget is long b && population is long p
            ? new SweepSearch(m, (ulong)s, (int)Math.Min(b, int.MaxValue), (int)Math.Min(p, int.MaxValue), objectives, objectivesAt)
            : null;
    }

    private static string Count(double n) => n < 1e15 ? n.ToString("N0", CultureInfo.InvariantCulture) : n.ToString("0.###e0", CultureInfo.InvariantCulture);

    private static SweepAxis? ReadAxis(YamlScalar key, YamlNode value, YamlNode? baseTree, long maxPoints, Action<SourceLocation, string, string> error)
    {
        string path = key.Text;
        if (YamlPaths.SyntaxProblem(path) is string syntax)
        {
            // The same check --set makes: a malformed index must not fall back to item 0.
            error(key.Location, string.Empty, syntax);
            return null;
        }

        SpecParameter? parameter = SpecParameters.Find(path);
        if (parameter is null || parameter.Kind is ParameterKind.Section or ParameterKind.SectionList)
        {
            var fields = SpecParameters.All.Where(p => p.Kind is not (ParameterKind.Section or ParameterKind.SectionList)).Select(p => p.Path);
            string? near = KeySuggester.Closest(SpecParameters.Normalize(path), fields);
            string hint = near is null ? "; `siliconsim describe` lists every field" : $" (did you mean '{near.Replace("[]", "[0]", StringComparison.Ordinal)}'?)";
            error(key.Location, path, parameter is null ? $"unknown config field{hint}" : $"is a section, not a field{hint}");
            return null;
        }

        if (baseTree is not null && YamlPaths.Find(baseTree, path) is not YamlScalar)
        {
            error(key.Location, path, "the base config has no such field (a list index past its end?)");
            return null;
        }

        var values = ImmutableArray.CreateBuilder<string>();
        switch (value)
        {
            case YamlSequence seq:
                foreach (YamlNode item in seq.Items)
                {
                    if (item is YamlScalar s)
                    {
                        values.Add(s.Text);
                    }
                    else
                    {
                        error(item.Location, path, "axis values must be scalars");
                        return null;
                    }
                }

                break;
            case YamlMapping range:
                if (ReadRange(path, range, parameter.Kind == ParameterKind.Integer, maxPoints, error) is not { } generated)
                {
                    return null;
                }

                values.AddRange(generated);
                break;
            default:
                error(value.Location, path, "an axis is a list of values or a range {start, stop, step | count [, log: true] | factor}");
                return null;
        }

        if (values.Count == 0)
        {
            error(value.Location, path, "the axis is empty");
            return null;
        }

        return new SweepAxis(path, values.ToImmutable(), key.Location);
    }

    private static IEnumerable<string>? ReadRange(string path, YamlMapping range, bool integer, long maxPoints, Action<SourceLocation, string, string> error)
    {
        string[] known = ["start", "stop", "step", "count", "factor", "log"];
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        bool log = false;
        foreach (var (k, v) in range.Entries)
        {
            if (!known.Contains(k.Text))
            {
                error(k.Location, path, $"unknown range key '{k.Text}'; expected start, stop and one of step, count, factor (log: true with count)");
                return null;
            }

            if (k.Text == "log")
            {
                log = v is YamlScalar { Text: "true" };
            }
            else if (v is YamlScalar s && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x))
            {
                numbers[k.Text] = x;
            }
            else
            {
                error(v.Location, path, $"range '{k.Text}' must be a number");
                return null;
            }
        }

        if (!numbers.TryGetValue("start", out double start) || !numbers.TryGetValue("stop", out double stop))
        {
            error(range.Location, path, "a range needs start and stop");
            return null;
        }

        int kinds = s_rangeKinds.Count(numbers.ContainsKey);
        if (kinds != 1)
        {
            error(range.Location, path, "a range needs exactly one of step, count or factor");
            return null;
        }

        // Each range's length is computed before one value is made.
        bool TooMany(double n)
        {
            if (!(n <= maxPoints))
            {
                error(range.Location, path, $"the range has {Count(n)} values, more than max_points {maxPoints}; set max_points to allow more");
                return true;
            }

            return false;
        }

        var values = new List<double>();
        if (numbers.TryGetValue("step", out double step))
        {
            if (step <= 0 || stop < start)
            {
                error(range.Location, path, "a step range needs step > 0 and start <= stop (the axis would be empty)");
                return null;
            }

            if (TooMany(Math.Floor(((stop - start) / step) + 1e-9) + 1))
            {
                return null;
            }

            // Values are start + i*step (not a running sum), with a relative tolerance so 0.1-steps reach their stop.
            for (long i = 0; start + (i * step) <= stop + (Math.Abs(step) * 1e-9); i++)
            {
                values.Add(start + (i * step));
            }
        }
        else if (numbers.TryGetValue("factor", out double factor))
        {
            if (factor <= 1 || start <= 0 || stop < start)
            {
                error(range.Location, path, "a factor range needs factor > 1 and 0 < start <= stop (the axis would be empty)");
                return null;
            }

            if (TooMany(Math.Floor((Math.Log(stop / start) / Math.Log(factor)) + 1e-9) + 1))
            {
                return null;
            }

            for (double x = start; x <= stop * (1 + 1e-9); x *= factor)
            {
                values.Add(x);
            }
        }
        else
        {
            double count = numbers["count"];
            if (count < 1 || count != Math.Floor(count) || stop < start || (log && start <= 0))
            {
                error(range.Location, path, log ? "a log range needs an integer count >= 1 and 0 < start <= stop" : "a count range needs an integer count >= 1 and start <= stop (the axis would be empty)");
                return null;
            }

            if (TooMany(count))
            {
                return null;
            }

            for (int i = 0; i < count; i++)
            {
                double t = count == 1 ? 0 : i / (count - 1);
                values.Add(log ? start * Math.Pow(stop / start, t) : start + ((stop - start) * t));
            }
        }

        // Integer fields take rounded values; rounding can merge neighbours, which would only repeat points.
        return integer
            ? values.Select(v => Math.Round(v, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal).ToList()
            : values.Select(v => SpecParameter.Format(Math.Round(v, 9))).ToList();
    }

    private static ImmutableArray<SweepClause>? ReadConstraint(YamlScalar text, YamlNode? baseTree, Action<SourceLocation, string, string> error)
    {
        var clauses = ImmutableArray.CreateBuilder<SweepClause>();
        foreach (string part in AndSplitter().Split(text.Text))
        {
            Match m = ClausePattern().Match(part);
            if (!m.Success || !double.TryParse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                error(text.Location, "constraints", $"cannot read '{part.Trim()}': write QUANTITY OP NUMBER (OP one of < <= > >= == !=), clauses joined by 'and'");
                return null;
            }

            string quantity = m.Groups[1].Value;
            bool known = SweepQuantities.Names.Contains(quantity)
                || (YamlPaths.SyntaxProblem(quantity) is null && SpecParameters.Find(quantity) is { Kind: ParameterKind.Integer or ParameterKind.Number } && (baseTree is null || YamlPaths.Find(baseTree, quantity) is YamlScalar));
            if (!known)
            {
                var candidates = SpecParameters.All.Where(p => p.Kind is ParameterKind.Integer or ParameterKind.Number).Select(p => p.Path.Replace("[]", "[0]", StringComparison.Ordinal)).Concat(SweepQuantities.Names);
                string? near = KeySuggester.Closest(quantity, candidates);
                error(text.Location, "constraints", $"'{quantity}' is not a numeric config field or one of {string.Join(", ", SweepQuantities.Names)}{(near is null ? string.Empty : $" (did you mean '{near}'?)")}");
                return null;
            }

            clauses.Add(new SweepClause(quantity, m.Groups[2].Value, value, text.Location));
        }

        return clauses.ToImmutable();
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.CultureInvariant)]
    private static partial Regex AndSplitter();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_.\[\]]*)\s*(<=|>=|==|!=|<|>)\s*([-+0-9.eE]+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ClausePattern();
}
