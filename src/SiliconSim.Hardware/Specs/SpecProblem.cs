namespace SiliconSim.Hardware.Specs;

/// <summary>
/// One reason a spec cannot run, found by <see cref="AcceleratorSpec.Validate"/>. <see cref="Path"/> is the config path
/// of the offending parameter (e.g. <c>memory.buffers[1].capacity_kib</c>), so the config layer can point at its YAML line.
/// </summary>
public sealed record SpecProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
