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
    /// <summary>Loads a config file; an unreadable file is a diagnostic, not an exception.</summary>
    public static ConfigLoadResult LoadFile(string path)
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

        return LoadText(text, path);
    }

    /// <summary>
    /// Loads config text; <paramref name="fileName"/> names it in diagnostics, and its name without extension is the
    /// spec's default <see cref="AcceleratorSpec.Name"/>.
    /// </summary>
    public static ConfigLoadResult LoadText(string yaml, string fileName = "config.yaml")
    {
        var diagnostics = new List<ConfigDiagnostic>();
        YamlNode? root = YamlTreeReader.Read(yaml, fileName, diagnostics);
        var binder = new ConfigBinder(fileName, diagnostics);
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
}
