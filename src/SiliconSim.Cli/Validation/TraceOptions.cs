namespace SiliconSim.Cli.Validation;

/// <summary>What `validate --trace-node/--trace-all/--trace-expect` asks for.</summary>
/// <param name="Names">Node names (of the original model) or tensor names to trace, in the order given.</param>
/// <param name="All">Trace every tensor the lowered graph computes.</param>
/// <param name="ExpectFolder">A folder of TensorProto .pb files (ONNX Runtime's intermediates) to compare with, or null.</param>
internal sealed record TraceOptions(IReadOnlyList<string> Names, bool All, string? ExpectFolder)
{
    /// <summary>Whether anything is to be traced (an expectation folder alone traces the tensors it holds).</summary>
    public bool Enabled => Names.Count > 0 || All || ExpectFolder is not null;
}
