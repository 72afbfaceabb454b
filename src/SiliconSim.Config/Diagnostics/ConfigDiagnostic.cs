namespace SiliconSim.Config.Diagnostics;

/// <summary>
/// One problem in a config, with where it is: <c>edge.yaml:12:5: memory.buffers[1].capacity_kib: must be &gt; 0, got -4</c>.
/// <see cref="Path"/> is the config path of the field ("" for problems with the file itself, such as YAML syntax).
/// </summary>
public sealed record ConfigDiagnostic(SourceLocation Location, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
