using System.Collections.Immutable;

namespace SiliconSim.Config.Diagnostics;

/// <summary>
/// Where each field of a loaded config was written (config path to line and column of its key), so that checks made
/// later, by the simulation, can still point at the YAML: a buffer too small for one tile, an operand type the array lacks.
/// </summary>
public sealed class SourceMap
{
    private readonly ImmutableDictionary<string, SourceLocation> _locations;

    public SourceMap(string file, ImmutableDictionary<string, SourceLocation> locations)
    {
        File = file;
        _locations = locations;
    }

    /// <summary>The file name as given to the loader; every diagnostic starts with it.</summary>
    public string File { get; }

    /// <summary>The paths that were written in the file.</summary>
    public IEnumerable<string> Paths => _locations.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// Where a path was written; a field left to its default is located at its nearest written ancestor
    /// (<c>array.overflow</c> at <c>array</c>), and at the file's start when no ancestor was written.
    /// </summary>
    public SourceLocation Locate(string path)
    {
        for (string p = path; p.Length > 0; p = Parent(p))
        {
            if (_locations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return new SourceLocation(File, 1, 1);
    }

    /// <summary>True when the path itself (not only an ancestor) was written in the file.</summary>
    public bool Contains(string path) => _locations.ContainsKey(path);

    /// <summary>A diagnostic located at a field: <c>Diagnostic("memory.buffers[0].capacity_kib", "too small for one tile")</c>.</summary>
    public ConfigDiagnostic Diagnostic(string path, string message) => new(Locate(path), path, message);

    /// <summary>The path one level up: <c>a.b[2].c</c> to <c>a.b[2]</c> to <c>a.b</c> to <c>a</c> to "".</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            return path[..path.LastIndexOf('[')];
        }

        int dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path[..dot];
    }
}
