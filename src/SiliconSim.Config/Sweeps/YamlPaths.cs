using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// Reads and replaces scalars in a YAML tree by config path (<c>memory.buffers[0].capacity_kib</c>) and writes a tree
/// back as block YAML. The one path setter (<see cref="TrySet(YamlNode, string, YamlNode, SourceLocation)"/>) serves both <c>--set</c> and sweeps: a sweep point is
/// the resolved base config's tree with each axis set, bound through <see cref="ConfigLoader"/> (every check the loader
/// makes then applies to every point).
/// </summary>
internal static partial class YamlPaths
{
    /// <summary>
    /// Why <paramref name="path"/> is not a config path (keys joined by dots, each optionally indexed once with at most
    /// nine digits), or null when it is one. <c>--set</c> and sweep axes both check here, so a path one accepts the other
    /// accepts: <c>memory.buffers[-1]</c> or an index of 10^20 is refused, never read as item 0.
    /// </summary>
    public static string? SyntaxProblem(string path) =>
        PathPattern().IsMatch(path) ? null : $"'{path}' is not a config path: keys joined by dots, a list item as name[0] (e.g. memory.buffers[0].capacity_kib)";

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

    /// <summary>The tree with the scalar at <paramref name="path"/> replaced by <paramref name="text"/> (the path must exist;
    /// the new scalar keeps the old one's location).</summary>
    /// <exception cref="ArgumentException">the path does not name a field of the tree.</exception>
    public static YamlNode Set(YamlNode root, string path, string text)
    {
        YamlNode old = Find(root, path) ?? throw new ArgumentException($"the config has no field {path}", nameof(path));
        var (node, problem) = TrySet(root, path, new YamlScalar(old.Location, text, Plain: true), old.Location);
        return node ?? throw new ArgumentException($"{path}: {problem}", nameof(path));
    }

    /// <summary>
    /// The tree with the node at <paramref name="path"/> replaced by <paramref name="value"/>, adding a missing key and
    /// the sections on its way (located at <paramref name="added"/>); or, instead of a tree, the problem: a path through
    /// a scalar, a list the tree lacks or an index past its end, a whole list item (items are never created, since an
    /// item needs every required field).
    /// </summary>
    public static (YamlNode? Node, string? Problem) TrySet(YamlNode root, string path, YamlNode value, SourceLocation added) =>
        TrySet(root, [.. Segments(path)], 0, value, added);

    /// <summary>
    /// Replaces (or adds, creating missing sections) the entry at <paramref name="segments"/>[at..]; list items are
    /// never created, since an item needs every required field.
    /// </summary>
    private static (YamlNode? Node, string? Problem) TrySet(YamlNode node, (string Key, int? Index)[] segments, int at, YamlNode value, SourceLocation added)
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

            var inner = TrySet(seq.Items[i], segments, at + 1, value, added);
            return inner.Problem is null
                ? (map with { Entries = map.Entries.SetItem(k, new(map.Entries[k].Key, seq with { Items = seq.Items.SetItem(i, inner.Node!) })) }, null)
                : inner;
        }

        YamlScalar newKey = new(added, key, Plain: true);
        if (last)
        {
            var entry = new KeyValuePair<YamlScalar, YamlNode>(newKey, value);
            return (map with { Entries = k < 0 ? map.Entries.Add(entry) : map.Entries.SetItem(k, entry) }, null);
        }

        YamlNode child = k >= 0 && map.Entries[k].Value is not YamlScalar { IsNull: true }
            ? map.Entries[k].Value
            : new YamlMapping(added, ImmutableArray<KeyValuePair<YamlScalar, YamlNode>>.Empty);
        var result = TrySet(child, segments, at + 1, value, added);
        if (result.Problem is not null)
        {
            return result;
        }

        // A section written in the file keeps its key's location; only the overridden field moves to --set.
        var replaced = new KeyValuePair<YamlScalar, YamlNode>(k < 0 ? newKey : map.Entries[k].Key, result.Node!);
        return (map with { Entries = k < 0 ? map.Entries.Add(replaced) : map.Entries.SetItem(k, replaced) }, null);
    }

    private static string Prefix((string Key, int? Index)[] segments, int count) =>
        string.Join('.', segments.Take(count).Select(s => s.Index is int i ? $"{s.Key}[{i}]" : s.Key));

    private static IEnumerable<(string Key, int? Index)> Segments(string path)
    {
        foreach (string part in path.Split('.'))
        {
            int open = part.IndexOf('[', StringComparison.Ordinal);
            if (open < 0)
            {
                yield return (part, null);
            }
            else if (part.EndsWith(']') && int.TryParse(part.AsSpan(open + 1, part.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int i))
            {
                yield return (part[..open], i);
            }
            else
            {
                // Never read a malformed index as 0: that would edit the first item in place of the one meant.
                throw new ArgumentException(SyntaxProblem(path) ?? $"'{path}' has a malformed index", nameof(path));
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

    // Keys joined by dots, each optionally indexed once: the paths `siliconsim describe` and sweeps use.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,9}\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,9}\])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    private static string Scalar(YamlScalar s) => s.Plain ? s.Text : "'" + s.Text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
