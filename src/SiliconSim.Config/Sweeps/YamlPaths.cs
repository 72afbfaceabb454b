using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// Reads and replaces scalars in a YAML tree by config path (<c>memory.buffers[0].capacity_kib</c>) and writes a tree
/// back as block YAML, so a sweep patches the resolved base config and reloads it through <see cref="ConfigLoader"/>
/// (every check the loader makes then applies to every point).
/// </summary>
internal static class YamlPaths
{
    public static YamlNode? Find(YamlNode root, string path)
    {
        YamlNode? node = root;
        foreach (var (key, index) in Segments(path))
        {
            node = node is YamlMapping m ? m.Entries.FirstOrDefault(e => e.Key.Text == key).Value : null;
            if (index is int i)
            {
                node = node is YamlSequence s && i < s.Items.Length ? s.Items[i] : null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static double? Number(YamlNode root, string path) =>
        Find(root, path) is YamlScalar s && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;

    /// <summary>The tree with the scalar at <paramref name="path"/> replaced by <paramref name="text"/> (the path must exist).</summary>
    public static YamlNode Set(YamlNode root, string path, string text) => Set(root, [.. Segments(path)], 0, text);

    private static YamlNode Set(YamlNode node, (string Key, int? Index)[] segments, int at, string text)
    {
        if (at == segments.Length)
        {
            return new YamlScalar(node.Location, text, Plain: true);
        }

        var (key, index) = segments[at];
        var map = (YamlMapping)node;
        int k = map.Entries.Select((e, i) => (e, i)).First(p => p.e.Key.Text == key).i;
        YamlNode child = map.Entries[k].Value;
        if (index is int i)
        {
            var seq = (YamlSequence)child;
            child = seq with { Items = seq.Items.SetItem(i, Set(seq.Items[i], segments, at + 1, text)) };
        }
        else
        {
            child = Set(child, segments, at + 1, text);
        }

        return map with { Entries = map.Entries.SetItem(k, new(map.Entries[k].Key, child)) };
    }

    private static IEnumerable<(string Key, int? Index)> Segments(string path)
    {
        foreach (string part in path.Split('.'))
        {
            int open = part.IndexOf('[', StringComparison.Ordinal);
            if (open < 0)
            {
                yield return (part, null);
            }
            else
            {
                int.TryParse(part.AsSpan(open + 1, part.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int i);
                yield return (part[..open], i);
            }
        }
    }

    /// <summary>Block YAML for a tree of mappings, sequences and scalars (scalar lists in flow style).</summary>
    public static string Write(YamlNode root)
    {
        var sb = new StringBuilder();
        WriteMapping(sb, (YamlMapping)root, 0, firstPrefix: null);
        return sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, YamlMapping map, int indent, string? firstPrefix)
    {
        bool first = true;
        foreach (var (key, value) in map.Entries)
        {
            sb.Append(first && firstPrefix is not null ? firstPrefix : new string(' ', indent)).Append(key.Text).Append(':');
            first = false;
            switch (value)
            {
                case YamlScalar s:
                    sb.Append(s.IsNull ? string.Empty : " " + Scalar(s)).Append('\n');
                    break;
                case YamlSequence seq when seq.Items.All(i => i is YamlScalar):
                    sb.Append(" [").Append(string.Join(", ", seq.Items.Cast<YamlScalar>().Select(Scalar))).Append("]\n");
                    break;
                case YamlSequence seq:
                    sb.Append('\n');
                    foreach (YamlNode item in seq.Items)
                    {
                        WriteMapping(sb, (YamlMapping)item, indent + 4, new string(' ', indent + 2) + "- ");
                    }

                    break;
                case YamlMapping m:
                    sb.Append('\n');
                    WriteMapping(sb, m, indent + 2, null);
                    break;
            }
        }
    }

    private static string Scalar(YamlScalar s) => s.Plain ? s.Text : "'" + s.Text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
