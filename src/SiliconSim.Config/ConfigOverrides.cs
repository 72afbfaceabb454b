using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Sweeps;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// Command-line overrides (<c>--set thermal.ambient_c=85</c>) laid over a config's YAML tree before it is bound, so an
/// overridden value passes every check a value written in the file passes. The overridden key and value are located at
/// <see cref="Location"/> instead of the file's line, so a problem with the value names the override, not the file.
/// </summary>
internal static class ConfigOverrides
{
    /// <summary>Where overridden fields are reported: <c>--set: thermal.ambient_c: must be a finite number, got 'hot'</c>.</summary>
    public static readonly SourceLocation Location = new("--set", 0, 0);

    /// <summary>The tree with every override applied; a malformed or unknown one is a diagnostic and is skipped.</summary>
    public static YamlNode Apply(YamlNode root, IReadOnlyList<string> overrides, List<ConfigDiagnostic> diagnostics)
    {
        foreach (string pair in overrides)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string path = eq < 0 ? string.Empty : pair[..eq].Trim();
            if (eq < 0)
            {
                diagnostics.Add(new ConfigDiagnostic(Location, string.Empty, $"expected PATH=VALUE (e.g. thermal.ambient_c=85), got '{pair}'"));
                continue;
            }

            if (YamlPaths.SyntaxProblem(path) is not null)
            {
                diagnostics.Add(new ConfigDiagnostic(Location, string.Empty, $"'{path}' in '{pair}' is not a config path: keys joined by dots, a list item as name[0] (e.g. memory.buffers[0].capacity_kib)"));
                continue;
            }

            if (Problem(path) is string problem)
            {
                diagnostics.Add(new ConfigDiagnostic(Location, path, problem));
                continue;
            }

            if (ReadValue(pair[(eq + 1)..]) is not YamlNode value)
            {
                diagnostics.Add(new ConfigDiagnostic(Location, path, $"cannot read the value '{pair[(eq + 1)..]}' as YAML"));
                continue;
            }

            if (root is not YamlMapping map)
            {
                // The binder reports a top level that is not a mapping; there is nothing to lay the override over.
                continue;
            }

            var (node, setProblem) = YamlPaths.TrySet(map, path, value, Location);
            if (setProblem is not null)
            {
                diagnostics.Add(new ConfigDiagnostic(Location, path, setProblem));
            }
            else
            {
                root = node!;
            }
        }

        return root;
    }

    private static string? Problem(string path)
    {
        SpecParameter? parameter = SpecParameters.Find(path);
        if (parameter is null && path.EndsWith(']') && SpecParameters.Find(path[..path.LastIndexOf('[')]) is { Kind: ParameterKind.SectionList } list)
        {
            string example = SpecParameters.Children(list.Path).FirstOrDefault() is { } field ? $" (e.g. {path}.{field.Key})" : string.Empty;
            return $"is a list item; set one of its fields{example}";
        }

        if (parameter is null)
        {
            var fields = SpecParameters.All.Where(p => p.Kind != ParameterKind.Section).Select(p => p.Path.Replace("[]", "[0]", StringComparison.Ordinal));
            string? near = KeySuggester.Closest(path, fields);
            return near is null ? "unknown field; `siliconsim describe` lists every field" : $"unknown field (did you mean {near}?)";
        }

        if (parameter.Kind == ParameterKind.Section)
        {
            string example = SpecParameters.Children(path).FirstOrDefault() is { } child ? $" (e.g. {path}.{child.Key})" : string.Empty;
            return $"is a section; set one of its fields{example}";
        }

        return null;
    }

    /// <summary>The value as a YAML node located at the override (so <c>[uint8, int8]</c> sets a list), or null if it does not parse.</summary>
    private static YamlNode? ReadValue(string text)
    {
        if (text.Trim().Length == 0)
        {
            return new YamlScalar(Location, string.Empty, Plain: true);
        }

        var problems = new List<ConfigDiagnostic>();
        YamlNode? node = YamlTreeReader.Read(text, Location.File, problems);
        return node is null || problems.Count > 0 ? null : Relocate(node);
    }

    private static YamlNode Relocate(YamlNode node) => node switch
    {
        YamlScalar s => s with { Location = Location },
        YamlSequence s => new YamlSequence(Location, [.. s.Items.Select(Relocate)]),
        YamlMapping m => new YamlMapping(Location, [.. m.Entries.Select(e => new KeyValuePair<YamlScalar, YamlNode>(e.Key with { Location = Location }, Relocate(e.Value)))]),
        _ => node,
    };
}
