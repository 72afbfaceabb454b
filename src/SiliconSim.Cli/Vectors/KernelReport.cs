namespace SiliconSim.Cli.Vectors;

/// <summary>What one co-simulated layer's kernel returned: the tensor it wrote and how it compares with SiliconSim's.</summary>
/// <param name="Layer">The lowered graph's node name.</param>
/// <param name="Command">The kernel's command.</param>
/// <param name="Checks">The kernel's accumulators (when it wrote them) and the outputs the graph continued with, against SiliconSim's.</param>
internal sealed record KernelReport(string Layer, string Command, IReadOnlyList<TensorCheck> Checks)
{
    public long Mismatches => Checks.Sum(c => c.Mismatches);
}
