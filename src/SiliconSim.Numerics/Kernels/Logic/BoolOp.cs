namespace SiliconSim.Numerics.Kernels.Logic;

/// <summary>The ONNX binary boolean operators.</summary>
public enum BoolOp
{
    And,
    Or,
    Xor,
}
