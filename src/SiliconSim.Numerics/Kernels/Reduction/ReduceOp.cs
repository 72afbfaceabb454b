namespace SiliconSim.Numerics.Kernels.Reduction;

/// <summary>The ONNX Reduce* operators.</summary>
public enum ReduceOp
{
    Sum,
    Mean,
    Max,
    Min,
    Prod,
    SumSquare,
    L1,
    L2,
}
