using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Energy;
using SiliconSim.Config.Files;
using SiliconSim.Config.ScaleSim;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// The entry point from YAML to an <see cref="AcceleratorSpec"/> (STYLE D3): YAML tree → <see cref="ConfigBinder"/>
/// (keys, types, choices, ranges, required fields, all from the parameter catalogue) → <see cref="SpecBuilder"/> (the
/// catalogue's conversions and defaults, and each rule across fields once the values it reads are good) → spec. Every
/// problem is reported at once, each with file, line, column and field path, sorted by position.
/// </summary>
public static class ConfigLoader
{
    // The spec fields EnergyModel.Validate reads: the MAC pairs the array multiplies and the DRAM standard.
    private static readonly string[] s_pricingInputs = ["array.operand_types", "memory.dram.type"];

    /// <summary>
    /// Loads a config file; an unreadable file is a diagnostic, not an exception. <paramref name="overrides"/>
    /// (<c>PATH=VALUE</c>, as <c>siliconsim run --set</c> takes them) replace fields before any check.
    /// </summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyList<string>? overrides = null)
    {
        string text;
        try
        {
            text = InputFiles.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var location = new SourceLocation(path, 1, 1);
            return new ConfigLoadResult(null, [new ConfigDiagnostic(location, string.Empty, e is InputFileException ? e.Message : $"cannot read the file: {e.Message}")],
                new SourceMap(path, ImmutableDictionary<string, SourceLocation>.Empty));
        }

        return LoadText(text, path, overrides) with { ConfigPath = path };
    }

    /// <summary>
    /// Loads config text; <paramref name="fileName"/> names it in diagnostics, and its name without extension is the
    /// spec's default <see cref="AcceleratorSpec.Name"/>. <paramref name="overrides"/> (<c>PATH=VALUE</c>) replace
    /// fields after any base is merged and before binding; problems with them are located at <c>--set</c>.
    /// </summary>
    public static ConfigLoadResult LoadText(string yaml, string fileName = "config.yaml", IReadOnlyList<string>? overrides = null)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        YamlNode? root = ReadWithBase(yaml, fileName, diagnostics, new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(fileName) });
        if (root is not null && overrides is { Count: > 0 })
        {
            root = ConfigOverrides.Apply(root, overrides, diagnostics);
        }

        return Resolve(root, fileName, diagnostics);
    }

    /// <summary>
    /// Binds a config tree (a base already merged, overrides already applied) to the spec and loads its energy table.
    /// <paramref name="energyTable"/>, when given, is the table already loaded for this tree's <c>energy:</c> value
    /// (a sweep point's base table); it is still checked to price the spec.
    /// </summary>
    internal static ConfigLoadResult Resolve(YamlNode? root, string fileName, List<ConfigDiagnostic> diagnostics, (EnergyTableSpec Table, string File)? energyTable = null)
    {
        var binder = new ConfigBinder(diagnostics);
        if (root is not null)
        {
            binder.BindRoot(root);
        }

        var map = new SourceMap(fileName, binder.Locations.ToImmutableDictionary(StringComparer.Ordinal));
        AcceleratorSpec? spec = null;
        (EnergyTableSpec Table, string File)? table = null;
        if (root is not null)
        {
            string defaultName = Path.GetFileNameWithoutExtension(fileName);
            var builder = new SpecBuilder(binder, defaultName.Length == 0 ? "config" : defaultName);
            (spec, var problems) = builder.Build();
            foreach (SpecProblem problem in problems)
            {
                // One diagnostic per field: the first says what is wrong.
                if (!diagnostics.Any(d => d.Path == problem.Path))
                {
                    diagnostics.Add(map.Diagnostic(problem.Path, problem.Message));
                }
            }

            table = energyTable ?? LoadEnergyTable(binder, map, diagnostics);
            if (table is var (t, file) && builder.OperandTypes is { } types && builder.DramType is { } dram
                && !diagnostics.Any(d => s_pricingInputs.Any(input => Concerns(d.Path, input))))
            {
                // A table that loads may still lack a price this accelerator needs (a MAC pair its array multiplies, its DRAM).
                foreach (SpecProblem problem in EnergyModel.ValidatePrices(t, types, dram))
                {
                    diagnostics.Add(map.Diagnostic("energy", $"{file}: {problem}"));
                }
            }
        }

        var sorted = diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToImmutableArray();
        if (sorted.IsEmpty && root is not null && spec is null)
        {
            // Every value the spec lacks was reported by the binder; a silent gap is a bug in the catalogue or builder.
            throw new InvalidOperationException($"{fileName}: no spec was built and no problem was reported");
        }

        return sorted.IsEmpty && table is var (resolved, tablePath)
            ? new ConfigLoadResult(spec, sorted, map) { EnergyTable = resolved, EnergyTablePath = tablePath }
            : new ConfigLoadResult(null, sorted, map);
    }

    /// <summary>
    /// Loads the table <c>energy:</c> names (the catalogue default when unset); a relative path is taken from the folder
    /// of the file in which the key was written (a <c>base:</c> file may be elsewhere). A problem is a diagnostic at
    /// <c>energy</c> naming the table file.
    /// </summary>
    private static (EnergyTableSpec Table, string File)? LoadEnergyTable(ConfigBinder binder, SourceMap map, List<ConfigDiagnostic> diagnostics)
    {
        if (binder.BadPaths.Contains("energy"))
        {
            return null;
        }

        string name = binder.Values.TryGetValue("energy", out object? value) ? (string)value : SpecParameters.Default<string>("energy");

        // A value given on the command line (--set, line 0) is relative to the current directory, as any argument is.
        string? folder = binder.Locations.TryGetValue("energy", out SourceLocation at) && at.Line > 0
            ? Path.GetDirectoryName(Path.GetFullPath(at.File))
            : null;
        if (EnergyTableLoader.Resolve(name, folder) is not string path)
        {
            string file = Path.GetFullPath(Path.Combine(folder ?? string.Empty, name));
            string named = name.IndexOfAny(['/', '\\']) >= 0 ? string.Empty
                : EnergyTableLoader.FindDirectory() is string dir ? $" and no table named '{name}' in {dir}"
                : " and no configs/energy folder above the executable or the current directory";
            diagnostics.Add(map.Diagnostic("energy", $"no energy table file {file}{named}"));
            return null;
        }

        EnergyTableLoadResult loaded = EnergyTableLoader.LoadFile(path);
        foreach (ConfigDiagnostic d in loaded.Diagnostics)
        {
            diagnostics.Add(map.Diagnostic("energy", d.ToString()));
        }

        return loaded.Table is EnergyTableSpec table ? (table, Path.GetFullPath(path)) : null;
    }

    /// <summary>
    /// Whether a diagnostic at <paramref name="path"/> concerns <paramref name="input"/>: the same field, a field inside
    /// it, a section around it, or the whole file (an empty path). The table is not checked against an input in doubt.
    /// </summary>
    private static bool Concerns(string path, string input) =>
        path == input || IsUnder(path, input) || IsUnder(input, path);

    private static bool IsUnder(string path, string ancestor) =>
        ancestor.Length == 0 || (path.StartsWith(ancestor, StringComparison.Ordinal) && path.Length > ancestor.Length && path[ancestor.Length] is '.' or '[');

    /// <summary>
    /// Reads a config and, when it says <c>base: NAME</c> (a file relative to this one, or a preset name), lays it over
    /// that base: mappings merge key by key, lists and values replace. Each node keeps the file it came from, so
    /// diagnostics name the base file for fields written there.
    /// </summary>
    private static YamlNode? ReadWithBase(string text, string fileName, List<ConfigDiagnostic> diagnostics, HashSet<string> chain)
    {
        // A SCALE-Sim .cfg is read by its own reader into the same tree, so everything after this line treats it as YAML.
        YamlNode? root = ScaleSimConfigReader.Handles(fileName)
            ? ScaleSimConfigReader.Read(text, fileName, diagnostics)
            : YamlTreeReader.Read(text, fileName, diagnostics);
        if (root is not YamlMapping map || map.Entries.FirstOrDefault(e => e.Key.Text == "base") is not { Key: not null } entry)
        {
            return root;
        }

        YamlMapping own = map with { Entries = map.Entries.Remove(entry) };
        if (entry.Value is not YamlScalar { IsNull: false } name)
        {
            diagnostics.Add(new ConfigDiagnostic(entry.Key.Location, "base", "must be a preset name or a config file path"));
            return own;
        }

        string beside = Path.Combine(Path.GetDirectoryName(fileName) ?? string.Empty, name.Text);
        string? path = File.Exists(beside) ? beside : PresetCatalog.Resolve(name.Text);
        if (path is null)
        {
            diagnostics.Add(new ConfigDiagnostic(entry.Key.Location, "base", $"no file or preset named '{name.Text}'"));
            return own;
        }

        if (!chain.Add(Path.GetFullPath(path)))
        {
            diagnostics.Add(new ConfigDiagnostic(entry.Key.Location, "base", $"'{name.Text}' is already being loaded (a base cycle)"));
            return own;
        }

        string baseText;
        try
        {
            // A FIFO would block and /dev/zero never ends: only a regular file of config size is read.
            baseText = InputFiles.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new ConfigDiagnostic(entry.Key.Location, "base", e is InputFileException ? $"{path} {e.Message}" : $"cannot read {path}: {e.Message}"));
            return own;
        }

        return ReadWithBase(baseText, path, diagnostics, chain) is YamlMapping under ? Merge(under, own) : own;
    }

    private static YamlMapping Merge(YamlMapping under, YamlMapping over)
    {
        var entries = under.Entries.ToList();
        foreach (var (key, value) in over.Entries)
        {
            int i = entries.FindIndex(e => e.Key.Text == key.Text);
            if (i < 0)
            {
                entries.Add(new(key, value));
            }
            else
            {
                entries[i] = new(key, entries[i].Value is YamlMapping u && value is YamlMapping o ? Merge(u, o) : value);
            }
        }

        return new YamlMapping(over.Location, [.. entries]);
    }
}
