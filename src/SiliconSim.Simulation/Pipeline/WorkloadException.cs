namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// A workload the pipeline cannot prepare because of the input, not a bug: an op without an implementation, inputs of
/// the wrong type or shape, a node that fails on these values. <see cref="Subject"/> says which input is at fault so the
/// caller can name its file.
/// </summary>
public sealed class WorkloadException : Exception
{
    public WorkloadException()
    {
    }

    public WorkloadException(string message)
        : base(message)
    {
    }

    public WorkloadException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public WorkloadException(WorkloadFault subject, string message)
        : base(message) => Subject = subject;

    /// <summary>The model or its inputs.</summary>
    public WorkloadFault Subject { get; }
}
