using System.Collections.Concurrent;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// The catalogue's defaults, parsed through the same YAML reader and binder as user values, so the default a config
/// gets is exactly the text <c>describe</c> shows.
/// </summary>
internal static class ParameterDefaults
{
    private static readonly ConcurrentDictionary<string, object> s_cache = new(StringComparer.Ordinal);

    /// <summary>True when the default is a value (not "the file name", "array.cols" or a section's "all defaults").</summary>
    public static bool IsLiteral(SpecParameter p) =>
        p.Default is not null && p.Kind is not (ParameterKind.Section or ParameterKind.SectionList)
        && p.Path is not ("name" or "vector_unit.lanes");

    public static T Get<T>(string path) => (T)s_cache.GetOrAdd(path, Parse);

    private static object Parse(string path)
    {
        SpecParameter p = SpecParameters.Get(path);
        if (!IsLiteral(p))
        {
            throw new InvalidOperationException($"{path} has no literal default");
        }

        var diagnostics = new List<ConfigDiagnostic>();
        YamlNode? node = YamlTreeReader.Read(p.Default!, "<default>", diagnostics);
        var binder = new ConfigBinder(diagnostics);
        if (node is not null)
        {
            binder.BindValue(p, node, path, node.Location);
        }

        return diagnostics.Count == 0 && binder.Values.TryGetValue(path, out object? value)
            ? value
            : throw new InvalidOperationException($"the catalogue default of {path} does not parse: {string.Join("; ", diagnostics)}");
    }
}
