using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// Command-line overrides (<c>--set thermal.ambient_c=85</c>) laid over a config's YAML tree before it is bound, so an
/// overridden value passes every check a value written in the file passes. The overridden key and value are located at
/// <see cref="Location"/> instead of the file's line, so a problem with the value names the override, not the file.
/// </summary>
internal static partial class ConfigOverrides
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

            if (!PathPattern().IsMatch(path))
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

            if (Set(map, Segments(path), 0, value, path) is { } result)
            {
                if (result.Problem is not null)
                {
                    diagnostics.Add(new ConfigDiagnostic(Location, path, result.Problem));
                }
                else
                {
                    root = result.Node!;
                }
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

    /// <summary>
    /// Replaces (or adds, creating missing sections) the entry at <paramref name="segments"/>[at..]; list items are
    /// never created, since an item needs every required field.
    /// </summary>
    private static (YamlNode? Node, string? Problem)? Set(YamlNode node, (string Key, int? Index)[] segments, int at, YamlNode value, string path)
    {
        var (key, index) = segments[at];
        if (node is not YamlMapping map)
        {
            return (null, $"cannot be set: '{Prefix(segments, at)}' in the config is not a mapping");
        }

        int k = map.Entries.Select((e, i) => (e, i)).FirstOrDefault(p => p.e.Key.Text == key, (default, -1)).i;
        bool last = at == segments.Length - 1;
        if (index is int i)
        {
            string list = Prefix(segments, at + 1)[..^$"[{i}]".Length];
            if (k < 0 || map.Entries[k].Value is not YamlSequence seq)
            {
                return (null, $"the config has no {list} list to index");
            }

            if (i >= seq.Items.Length)
            {
                return (null, $"{list} has {seq.Items.Length} item(s); [{i}] is past its end");
            }

            if (last)
            {
                return (null, "is a list item; set one of its fields");
            }

            var inner = Set(seq.Items[i], segments, at + 1, value, path);
            return inner is { Problem: null } ok
                ? (map with { Entries = map.Entries.SetItem(k, new(map.Entries[k].Key, seq with { Items = seq.Items.SetItem(i, ok.Node!) })) }, null)
                : inner;
        }

        YamlScalar newKey = new(Location, key, Plain: true);
        if (last)
        {
            var entry = new KeyValuePair<YamlScalar, YamlNode>(newKey, value);
            return (map with { Entries = k < 0 ? map.Entries.Add(entry) : map.Entries.SetItem(k, entry) }, null);
        }

        YamlNode child = k >= 0 && map.Entries[k].Value is not YamlScalar { IsNull: true }
            ? map.Entries[k].Value
            : new YamlMapping(Location, ImmutableArray<KeyValuePair<YamlScalar, YamlNode>>.Empty);
        var result = Set(child, segments, at + 1, value, path);
        if (result is not { Problem: null } done)
        {
            return result;
        }

        // A section written in the file keeps its key's location; only the overridden field moves to --set.
        var replaced = new KeyValuePair<YamlScalar, YamlNode>(k < 0 ? newKey : map.Entries[k].Key, done.Node!);
        return (map with { Entries = k < 0 ? map.Entries.Add(replaced) : map.Entries.SetItem(k, replaced) }, null);
    }

    private static string Prefix((string Key, int? Index)[] segments, int count) =>
        string.Join('.', segments.Take(count).Select(s => s.Index is int i ? $"{s.Key}[{i}]" : s.Key));

    private static (string Key, int? Index)[] Segments(string path) =>
        [.. path.Split('.').Select(part => part.IndexOf('[', StringComparison.Ordinal) is int open and >= 0
            ? (part[..open], (int?)int.Parse(part.AsSpan(open + 1, part.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture))
            : (part, null))];

    // Keys joined by dots, each optionally indexed once: the paths `siliconsim describe` and sweeps use.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,9}\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,9}\])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
