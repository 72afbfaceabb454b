namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// How a low-precision MAC array sums the products of a dot product. OCP MX v1.0 §6.2 leaves the internal precision of
/// the dot product implementation-defined; these are the two designs real arrays use.
/// </summary>
public enum MxAccumulation
{
    /// <summary>
    /// Each 32-element block's products are summed exactly (a wide fixed-point adder tree), the block sum is rounded
    /// once to fp32 (nearest-even), scaled by both blocks' E8M0 scales (exact), and added to an fp32 accumulator in
    /// block order k = 0, 32, 64, ...
    /// </summary>
    BlockExactThenFp32,

    /// <summary>
    /// Each product, scaled by both blocks' scales, is added to an fp32 accumulator one element at a time in k order
    /// (the product is exact; each add rounds to nearest-even; no fused multiply-add).
    /// </summary>
    SequentialFp32,
}
