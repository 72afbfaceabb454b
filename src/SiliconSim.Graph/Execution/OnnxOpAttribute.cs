namespace SiliconSim.Graph.Execution;

/// <summary>
/// Marks a static method <c>TensorValue[] M(OpContext)</c> as the implementation of an ONNX operator. The registry finds
/// them by reflection, so adding an op is adding one method: no central table to edit.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnnxOpAttribute : Attribute
{
    public OnnxOpAttribute(string opType, string domain = "")
    {
        OpType = opType;
        Domain = domain;
    }

    public string OpType { get; }

    /// <summary>"" for the default ONNX domain, "com.microsoft" for ORT's contrib ops.</summary>
    public string Domain { get; }

    /// <summary>The lowest opset this implementation follows; a model below it is reported unsupported.</summary>
    public int SinceVersion { get; init; } = 1;
}
