namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// ONNX MatMul on fp32 with numpy semantics (1-D operands promoted and the added dim removed; batch dims broadcast), in
/// ONNX Runtime's order (providers/cpu/math/matmul.cc, MatMulComputeHelper): when B is one matrix (rank ≥ 2, unit batch dims)
/// and A has at least B's rank, A's leading dims are flattened into M and one SGEMM runs; otherwise one SGEMM per
/// broadcast batch, where a 1-D B turns every row of A into its own batch with M = 1. Each SGEMM is
/// <see cref="FloatGemm.Sgemm"/> with alpha = 1, beta = 0 (so M = 1 and N = 1 take the M1 kernels), or
/// <see cref="FloatGemm.SgemmPackedB"/> when B is a constant 2-D initializer that ORT pre-packs.
/// </summary>
public static class MatMulKernel
{
    /// <summary>Y = A·B: FusedMatMul's arithmetic with alpha 1 and no transposes, which is exactly ORT's MatMul&lt;float&gt;.</summary>
    public static TensorValue MatMul(TensorValue a, TensorValue b, bool bIsConstant) =>
        FusedMatMulKernel.Compute("MatMul", a, b, 1f, transA: false, transB: false, bIsConstant);
}
