using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config;

/// <summary>
/// The entry point from YAML to an <see cref="AcceleratorSpec"/> (STYLE D3): YAML tree → documents (catalogue-checked)
/// → <see cref="SpecMapper"/> → spec and <see cref="AcceleratorSpec.Validate"/>. Every problem is reported at once,
/// each with file, line, column and field path, sorted by position.
/// </summary>
public static class ConfigLoader
{
    /// <summary>
    /// Loads a config file; an unreadable file is a diagnostic, not an exception. <paramref name="overrides"/>
    /// (<c>PATH=VALUE</c>, as <c>siliconsim run --set</c> takes them) replace fields before any check.
    /// </summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyList<string>? overrides = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var location = new SourceLocation(path, 1, 1);
            return new ConfigLoadResult(null, [new ConfigDiagnostic(location, string.Empty, $"cannot read the file: {e.Message}")],
                new SourceMap(path, ImmutableDictionary<string, SourceLocation>.Empty));
        }

        return LoadText(text, path, overrides);
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
        var binder = new ConfigBinder(diagnostics);
        if (root is not null)
        {
            binder.BindRoot(root);
        }

        var map = new SourceMap(fileName, binder.Locations.ToImmutableDictionary(StringComparer.Ordinal));
        AcceleratorSpec? spec = null;
        if (root is not null)
        {
            string defaultName = Path.GetFileNameWithoutExtension(fileName);
            (spec, var problems) = SpecMapper.Map(binder.ToDocument(), defaultName.Length == 0 ? "config" : defaultName);
            bool roleUnknown = binder.BadPaths.Any(p => p.StartsWith("memory.buffers[", StringComparison.Ordinal) && (p.EndsWith(".role", StringComparison.Ordinal) || p.EndsWith(']')));
            foreach (SpecProblem problem in problems)
            {
                if (binder.BadPaths.Any(bad => Related(problem.Path, bad)) || (roleUnknown && IsRoleProblem(problem.Path)))
                {
                    continue;
                }

                // One diagnostic per field: the first says what is wrong, a second would only restate it with a placeholder.
                if (!diagnostics.Any(d => d.Path == problem.Path))
                {
                    diagnostics.Add(map.Diagnostic(problem.Path, problem.Message));
                }
            }
        }

        var sorted = diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToImmutableArray();
        return new ConfigLoadResult(sorted.IsEmpty ? spec : null, sorted, map);
    }

    /// <summary>A path and one of its ancestors or descendants: a problem there depends on a placeholder value.</summary>
    private static bool Related(string a, string b) =>
        a == b || IsUnder(a, b) || IsUnder(b, a);

    private static bool IsUnder(string path, string ancestor) =>
        ancestor.Length == 0 || (path.StartsWith(ancestor, StringComparison.Ordinal) && path.Length > ancestor.Length && path[ancestor.Length] is '.' or '[');

    // With some buffer's role unknown, the role combination checks (missing role, unified beside per-role) are moot.
    private static bool IsRoleProblem(string path) =>
        path == "memory.buffers" || (path.StartsWith("memory.buffers[", StringComparison.Ordinal) && path.EndsWith(".role", StringComparison.Ordinal));

    /// <summary>
    /// Reads a config and, when it says <c>base: NAME</c> (a file relative to this one, or a preset name), lays it over
    /// that base: mappings merge key by key, lists and values replace. Each node keeps the file it came from, so
    /// diagnostics name the base file for fields written there.
    /// </summary>
    private static YamlNode? ReadWithBase(string text, string fileName, List<ConfigDiagnostic> diagnostics, HashSet<string> chain)
    {
        YamlNode? root = YamlTreeReader.Read(text, fileName, diagnostics);
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
            baseText = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new ConfigDiagnostic(entry.Key.Location, "base", $"cannot read {path}: {e.Message}"));
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
