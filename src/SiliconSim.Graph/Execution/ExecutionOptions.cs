using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Execution;

/// <summary>Run settings of <see cref="GraphExecutor"/>.</summary>
public sealed record ExecutionOptions
{
    /// <summary>ORT's arithmetic everywhere: what the goldens were made with.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>
    /// The arithmetic of the integer matrix unit for QLinearConv, QGemm, QLinearMatMul, ConvInteger, MatMulInteger and
    /// MatMulIntegerToFloat. Default <see cref="MatrixNumerics.Reference"/> (ORT's: the fast kernels run, goldens match
    /// bit for bit); anything else runs <see cref="ArrayMatrix"/>'s plain path with that width, overflow and requantizer.
    /// </summary>
    public MatrixNumerics MatrixNumerics { get; init; } = MatrixNumerics.Reference;
}
