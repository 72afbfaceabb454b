namespace SiliconSim.Graph.Onnx;

/// <summary>A model or tensor file that is malformed or uses something SiliconSim does not support. The message names
/// the element at fault; callers add the file name.</summary>
public sealed class OnnxFormatException : Exception
{
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    public OnnxFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OnnxFormatException()
    {
    }
}
