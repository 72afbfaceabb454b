namespace SiliconSim.Numerics.Kernels.Logic;

/// <summary>The ONNX comparison operators.</summary>
public enum CompareOp
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}
