namespace SiliconSim.Graph.Execution;

/// <summary>A node that cannot run: bad attributes, inputs of the wrong type or shape, or an unsupported variant.
/// The executor adds the node's name and op to the message.</summary>
public sealed class OpException : Exception
{
    public OpException(string message)
        : base(message)
    {
    }

    public OpException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OpException()
    {
    }
}
