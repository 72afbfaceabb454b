using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>A resolved spec as (config path, value as written) pairs in document order, for <c>describe</c> and reports.</summary>
public static class SpecValues
{
    /// <summary>
    /// Every leaf parameter of the spec with its concrete path (<c>memory.buffers[1].capacity_kib</c>) and its value in
    /// config units and syntax. Obtained by writing the spec and reading it back, so the values are exactly what a config
    /// would have to say.
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>> Flatten(AcceleratorSpec spec)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        YamlNode? root = YamlTreeReader.Read(ConfigWriter.Write(spec), "resolved.yaml", diagnostics);
        var binder = new ConfigBinder(diagnostics);
        if (root is not null)
        {
            binder.BindRoot(root);
        }

        return
        [
            .. binder.Values
                .Where(v => SpecParameters.Find(v.Key) is { Kind: not (ParameterKind.Section or ParameterKind.SectionList) })
                .OrderBy(v => binder.Locations[v.Key].Line)
                .Select(v => new KeyValuePair<string, string>(v.Key, Text(v.Value))),
        ];
    }

    private static string Text(object value) => value switch
    {
        double d => SpecParameter.Format(d),
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        ImmutableArray<string> list => "[" + string.Join(", ", list) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
