namespace SiliconSim.Numerics.Kernels.Reduction;

/// <summary>
/// How ORT's CPU provider walks a reduction after merging adjacent axes of equal kind (reduction_ops.cc,
/// OptimizeShapeForFastReduce): K = kept block, R = reduced block.
/// </summary>
public enum ReducePath
{
    /// <summary>Every axis reduced: one Eigen redux over the whole buffer (aggall).</summary>
    All,

    /// <summary>Kept then reduced: one Eigen redux per contiguous row.</summary>
    KR,

    /// <summary>Reduced then kept: the first row copied, later rows added in order.</summary>
    RK,

    /// <summary>Kept, reduced, kept: a 1×R by R×N SGEMM against ones per outer index (MLAS's M = 1 kernel).</summary>
    KRK,

    /// <summary>Reduced, kept, reduced: per kept index, +0 plus the Eigen redux of each contiguous inner block in turn.</summary>
    RKR,

    /// <summary>Anything else: the generic loop, accumulating from zero in row-major order of the reduced indices.</summary>
    Generic,
}
