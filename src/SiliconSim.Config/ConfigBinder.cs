using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// Walks a YAML tree against the parameter catalogue (<see cref="SpecParameters"/>): rejects unknown keys (naming the
/// closest known one), checks types, choices and ranges, reports missing required fields, and records where every
/// field was written. It never stops at the first problem.
/// </summary>
internal sealed class ConfigBinder(List<ConfigDiagnostic> diagnostics)
{
    /// <summary>Parsed values by concrete path: long, double, bool, string or ImmutableArray&lt;string&gt; (list counts as int).</summary>
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Paths whose value is wrong or missing (each has its diagnostic): <see cref="SpecBuilder"/> builds nothing that
    /// needs them and runs no rule that reads them.
    /// </summary>
    public HashSet<string> BadPaths { get; } = new(StringComparer.Ordinal);

    public void BindRoot(YamlNode root)
    {
        if (root is YamlScalar { IsNull: true })
        {
            root = new YamlMapping(root.Location, []);
        }

        if (root is YamlMapping map)
        {
            BindSection(map, string.Empty);
        }
        else
        {
            Bad(root.Location, string.Empty, "the top level must be a mapping of keys (clock_mhz: ..., array: ...)");
        }
    }

    public void BindValue(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        switch (p.Kind)
        {
            case ParameterKind.Section:
                if (node is YamlScalar { IsNull: true })
                {
                    node = new YamlMapping(node.Location, []);
                }

                if (node is YamlMapping section)
                {
                    Values[path] = true;
                    BindSection(section, path);
                }
                else
                {
                    Bad(at, path, $"must be a mapping of keys ({string.Join(", ", SpecParameters.Children(path).Select(c => c.Key))}), got {Describe(node)}");
                }

                break;
            case ParameterKind.SectionList:
                if (node is not YamlSequence list)
                {
                    Bad(at, path, $"must be a list of mappings (- name: ...), got {Describe(node)}");
                    break;
                }

                Values[path] = list.Items.Length;
                for (int i = 0; i < list.Items.Length; i++)
                {
                    string item = $"{path}[{i}]";
                    Locations[item] = list.Items[i].Location;
                    if (list.Items[i] is YamlMapping m)
                    {
                        BindSection(m, item);
                    }
                    else
                    {
                        Bad(list.Items[i].Location, item, $"must be a mapping of keys, got {Describe(list.Items[i])}");
                    }
                }

                break;
            case ParameterKind.ChoiceList:
                if (node is not YamlSequence names)
                {
                    Bad(at, path, $"must be a list such as [{string.Join(", ", p.Choices.Take(2))}], got {Describe(node)}");
                    break;
                }

                var chosen = ImmutableArray.CreateBuilder<string>();
                for (int i = 0; i < names.Items.Length; i++)
                {
                    string item = $"{path}[{i}]";
                    Locations[item] = names.Items[i].Location;
                    if (Choice(p, names.Items[i], item, names.Items[i].Location) is string name)
                    {
                        chosen.Add(name);
                    }
                }

                Values[path] = chosen.ToImmutable();
                break;
            case ParameterKind.Choice:
                if (Choice(p, node, path, at) is string choice)
                {
                    Values[path] = choice;
                }

                break;
            default:
                BindScalar(p, node, path, at);
                break;
        }
    }

    private void BindSection(YamlMapping map, string path)
    {
        var known = SpecParameters.Children(path).ToList();
        foreach (var (key, value) in map.Entries)
        {
            string child = path.Length == 0 ? key.Text : $"{path}.{key.Text}";
            SpecParameter? p = known.Find(k => string.Equals(k.Key, key.Text, StringComparison.Ordinal));
            if (p is null)
            {
                string? hint = KeySuggester.Closest(key.Text, known.Select(k => k.Key));
                Error(key.Location, child, hint is null
                    ? $"unknown key; the keys here are {string.Join(", ", known.Select(k => k.Key))}"
                    : $"unknown key; did you mean '{hint}'?");
                continue;
            }

            Locations[child] = key.Location;
            BindValue(p, value, child, key.Location);
        }

        foreach (SpecParameter p in known.Where(k => k.IsRequired && !map.Entries.Any(e => string.Equals(e.Key.Text, k.Key, StringComparison.Ordinal))))
        {
            string child = path.Length == 0 ? p.Key : $"{path}.{p.Key}";
            Bad(Locations.GetValueOrDefault(path, map.Location), child, $"is required ({p.Doc})");
        }
    }

    private void BindScalar(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        if (node is not YamlScalar scalar || scalar.IsNull)
        {
            Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
            return;
        }

        string text = scalar.Text;
        switch (p.Kind)
        {
            case ParameterKind.Text:
                Values[path] = text;
                return;
            case ParameterKind.Boolean:
                if (scalar.Plain && text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    Values[path] = text[0] is 't' or 'T';
                }
                else
                {
                    Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
                }

                return;
            case ParameterKind.Integer when scalar.Plain && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n):
                if (Range(p, n, path, at))
                {
                    Values[path] = n;
                }

                return;
            case ParameterKind.Number when scalar.Plain && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x):
                if (Range(p, x, path, at))
                {
                    Values[path] = x;
                }

                return;
            default:
                Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
                return;
        }
    }

    private string? Choice(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        if (node is YamlScalar { IsNull: false } s && p.Choices.Contains(s.Text, StringComparer.Ordinal))
        {
            return s.Text;
        }

        string? hint = node is YamlScalar t ? KeySuggester.Closest(t.Text, p.Choices) : null;
        Bad(at, path, $"must be one of {string.Join(", ", p.Choices)}; got {Describe(node)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
        return null;
    }

    private bool Range(SpecParameter p, double value, string path, SourceLocation at)
    {
        if (p.CheckRange(value) is string problem)
        {
            Bad(at, path, problem);
            return false;
        }

        return true;
    }

    private static string Expected(SpecParameter p) => p.Kind switch
    {
        ParameterKind.Integer => "must be a whole number",
        ParameterKind.Number => "must be a finite number",
        ParameterKind.Boolean => "must be true or false",
        _ => "must be text",
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalar { IsNull: true } => "nothing",
        YamlScalar s => $"'{s.Text}'",
        YamlSequence => "a list",
        _ => "a mapping",
    };

    private void Bad(SourceLocation at, string path, string message)
    {
        BadPaths.Add(path);
        Error(at, path, message);
    }

    private void Error(SourceLocation at, string path, string message) => diagnostics.Add(new ConfigDiagnostic(at, path, message));
}
