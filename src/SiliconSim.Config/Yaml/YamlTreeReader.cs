using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SiliconSim.Config.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="YamlNode"/> tree, reporting syntax errors, duplicate keys, non-text keys
/// and unknown aliases with their line and column. Anchors and aliases are resolved; merge keys are not supported.
/// Nesting is limited to <see cref="MaxDepth"/> levels (aliases count with the depth of what they stand for), so a
/// hostile file cannot exhaust the stack of this reader or of any walker of the tree.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// The deepest nesting read: a config is at most five levels deep (memory.buffers[0].energy...), so 64 leaves
    /// room for any hand-written file while a tree of that depth is walked recursively with a few KiB of stack.
    /// </summary>
    public const int MaxDepth = 64;

    public static YamlNode? Read(string text, string file, List<ConfigDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, (YamlNode Node, int Height)>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                diagnostics.Add(new ConfigDiagnostic(new SourceLocation(file, 1, 1), string.Empty, "the file is empty"));
                return null;
            }

            parser.Consume<DocumentStart>();
            YamlNode root = ReadNode(parser, file, anchors, diagnostics, 1, out _);
            parser.Consume<DocumentEnd>();
            if (parser.TryConsume<DocumentStart>(out var second))
            {
                diagnostics.Add(new ConfigDiagnostic(At(file, second.Start), string.Empty, "only one YAML document is allowed"));
            }

            return root;
        }
        catch (TooDeepException e)
        {
            diagnostics.Add(new ConfigDiagnostic(e.Location, string.Empty, $"the YAML nests deeper than {MaxDepth} levels (a config needs a handful)"));
            return null;
        }
        catch (YamlException e)
        {
            diagnostics.Add(new ConfigDiagnostic(At(file, e.Start), string.Empty, "YAML syntax error: " + StripMarks(e.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException when the text ends inside a flow collection.
            int lines = text.Split('\n').Length;
            diagnostics.Add(new ConfigDiagnostic(new SourceLocation(file, lines, 1), string.Empty, "YAML syntax error: the file ends inside an unclosed [ ] or { }"));
            return null;
        }
    }

    /// <summary>Reads the node at <paramref name="depth"/> (the root is 1); <paramref name="height"/> is its own depth.</summary>
    private static YamlNode ReadNode(IParser parser, string file, Dictionary<string, (YamlNode Node, int Height)> anchors, List<ConfigDiagnostic> diagnostics, int depth, out int height)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                // The alias stands for a whole subtree: its levels count here too.
                height = target.Height;
                return depth + height - 1 > MaxDepth ? throw new TooDeepException(At(file, alias.Start)) : target.Node;
            }

            diagnostics.Add(new ConfigDiagnostic(At(file, alias.Start), string.Empty, $"unknown alias *{alias.Value.Value}"));
            height = 1;
            return new YamlScalar(At(file, alias.Start), string.Empty, Plain: true);
        }

        YamlNode node;
        NodeEvent start = parser.Consume<NodeEvent>();
        if (depth > MaxDepth)
        {
            throw new TooDeepException(At(file, start.Start));
        }

        switch (start)
        {
            case Scalar s:
                node = new YamlScalar(At(file, s.Start), s.Value, s.Style is ScalarStyle.Plain or ScalarStyle.Any);
                height = 1;
                break;
            case SequenceStart:
                var items = ImmutableArray.CreateBuilder<YamlNode>();
                int below = 0;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, file, anchors, diagnostics, depth + 1, out int h));
                    below = Math.Max(below, h);
                }

                node = new YamlSequence(At(file, start.Start), items.ToImmutable());
                height = below + 1;
                break;
            case MappingStart:
                node = ReadMapping(parser, file, At(file, start.Start), anchors, diagnostics, depth, out height);
                break;
            default:
                throw new InvalidOperationException($"unexpected YAML event {start.GetType().Name}");
        }

        if (!start.Anchor.IsEmpty)
        {
            anchors[start.Anchor.Value] = (node, height);
        }

        return node;
    }

    private static YamlMapping ReadMapping(IParser parser, string file, SourceLocation location, Dictionary<string, (YamlNode Node, int Height)> anchors, List<ConfigDiagnostic> diagnostics, int depth, out int height)
    {
        var entries = ImmutableArray.CreateBuilder<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        int below = 0;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            YamlNode key = ReadNode(parser, file, anchors, diagnostics, depth + 1, out int keyHeight);
            YamlNode value = ReadNode(parser, file, anchors, diagnostics, depth + 1, out int valueHeight);
            below = Math.Max(below, Math.Max(keyHeight, valueHeight));
            if (key is not YamlScalar scalar)
            {
                diagnostics.Add(new ConfigDiagnostic(key.Location, string.Empty, "a key must be a plain name, not a list or mapping"));
            }
            else if (seen.TryGetValue(scalar.Text, out var first))
            {
                // YAML 1.2 requires unique keys; YamlDotNet's deserializer would silently keep the last one.
                diagnostics.Add(new ConfigDiagnostic(scalar.Location, string.Empty, $"duplicate key '{scalar.Text}' (first written at line {first.Line})"));
            }
            else
            {
                seen.Add(scalar.Text, scalar.Location);
                entries.Add(new(scalar, value));
            }
        }

        height = below + 1;
        return new YamlMapping(location, entries.ToImmutable());
    }

    /// <summary>Unwinds the reader from the first node past <see cref="MaxDepth"/> to <see cref="Read"/>.</summary>
    private sealed class TooDeepException(SourceLocation location) : Exception
    {
        public SourceLocation Location { get; } = location;
    }

    private static SourceLocation At(string file, Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    /// <summary>YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (...): "; the location is reported separately.</summary>
    private static string StripMarks(string message)
    {
        int i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i >= 0 ? message[(i + 3)..] : message;
    }
}
