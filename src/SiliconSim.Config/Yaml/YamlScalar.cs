using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Yaml;

/// <summary>A scalar; <see cref="Plain"/> is false for quoted and block scalars, which are always text.</summary>
internal sealed record YamlScalar(SourceLocation Location, string Text, bool Plain) : YamlNode(Location)
{
    /// <summary>YAML 1.2 core schema nulls: an empty plain scalar, <c>~</c>, <c>null</c>.</summary>
    public bool IsNull => Plain && Text is "" or "~" or "null" or "Null" or "NULL";
}
