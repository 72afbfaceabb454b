namespace SiliconSim.Numerics.Kernels.Elementwise;

/// <summary>The numpy-broadcasting arithmetic ops of ONNX.</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
}
