namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// How a low-precision MAC array (MX, NVFP4 or per-row fp8 operands, <see cref="ScaledMatMul"/>) sums the products of a
/// dot product. OCP MX v1.0 §6.2 leaves the internal precision of the dot product implementation-defined; these are the
/// two designs real arrays use.
/// </summary>
public enum LowPrecisionAccumulation
{
    /// <summary>
    /// Each block's products, scaled by both blocks' scales, are summed exactly (a wide fixed-point adder tree), the
    /// block sum is rounded once to fp32 (nearest-even) and added to an fp32 accumulator in block order.
    /// </summary>
    BlockExactThenFp32,

    /// <summary>
    /// Each product, scaled by both blocks' scales, is added to an fp32 accumulator one element at a time in k order
    /// (the product is exact; each add rounds to nearest-even; no fused multiply-add).
    /// </summary>
    SequentialFp32,
}
