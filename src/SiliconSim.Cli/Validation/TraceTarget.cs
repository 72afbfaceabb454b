namespace SiliconSim.Cli.Validation;

/// <summary>One tensor of the lowered graph to trace.</summary>
/// <param name="Tensor">Its name (fused units keep the name of the original unit's output).</param>
/// <param name="Origin">Where it comes from, for the report: "node 'n' (QLinearConv)", "graph input", "initializer".</param>
internal sealed record TraceTarget(string Tensor, string Origin);
