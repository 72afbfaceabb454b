using System.Collections.Immutable;

namespace SiliconSim.Config;

/// <summary>
/// Finds the shipped presets (<c>configs/presets/*.yaml</c>) by searching upward from the executable's folder and
/// from the current directory, so the CLI finds them both from a build output inside the repository and from a
/// checkout's root. A name (<c>tpu-v1</c>) or a file path resolves to a file.
/// </summary>
public static class PresetCatalog
{
    /// <summary>The preset <c>siliconsim run</c> uses when given none.</summary>
    public const string DefaultPreset = "edge-npu";

    private const string PresetFolder = "configs/presets";

    /// <summary>The presets folder, or null when none is found above the executable or the current directory.</summary>
    public static string? FindDirectory() => RepositoryFolders.FindAbove(PresetFolder);

    /// <summary>The preset names (file names without .yaml), sorted ordinally.</summary>
    public static ImmutableArray<string> Names() =>
        FindDirectory() is string dir
            ? [.. Directory.EnumerateFiles(dir, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>An existing file path as given, else the preset of that name; null when neither exists.</summary>
    public static string? Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
        {
            return nameOrPath;
        }

        if (FindDirectory() is string dir && nameOrPath.IndexOfAny(['/', '\\']) < 0)
        {
            string name = nameOrPath.EndsWith(".yaml", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".yaml";
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>
    /// Loads a preset by name or a config by path (the default preset when null). An unknown name is a diagnostic
    /// listing the presets, not an exception. <paramref name="overrides"/> as for <see cref="ConfigLoader.LoadFile"/>.
    /// </summary>
    public static ConfigLoadResult Load(string? nameOrPath, IReadOnlyList<string>? overrides = null)
    {
        string wanted = nameOrPath ?? DefaultPreset;
        if (Resolve(wanted) is string path)
        {
            return ConfigLoader.LoadFile(path, overrides);
        }

        var names = Names();
        string known = names.IsEmpty ? "no presets folder (configs/presets) was found above the executable or the current directory" : "presets: " + string.Join(", ", names);
        var location = new Diagnostics.SourceLocation(wanted, 1, 1);
        return new ConfigLoadResult(null, [new Diagnostics.ConfigDiagnostic(location, string.Empty, $"no such file or preset ({known})")],
            new Diagnostics.SourceMap(wanted, ImmutableDictionary<string, Diagnostics.SourceLocation>.Empty));
    }
}
