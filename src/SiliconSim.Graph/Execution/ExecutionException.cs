namespace SiliconSim.Graph.Execution;

/// <summary>A graph that cannot run: an unsupported op, a missing input, or a node whose kernel refused its arguments.</summary>
public sealed class ExecutionException : Exception
{
    public ExecutionException(string message)
        : base(message)
    {
    }

    public ExecutionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ExecutionException()
    {
    }
}
