using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The block format a low-precision accelerator keeps a value in between layers (<see
/// cref="LowPrecisionArrayMapping.StoredFormats"/>): elements of <see cref="ElementType"/>, and along
/// <see cref="BlockAxis"/> (1: a conv's channels; -1: a GEMM row) each line split from its start into blocks of
/// <see cref="BlockSize"/> elements that share one scale of <see cref="BlockScaleType"/>; a line whose length is not a
/// multiple of the block size ends in a partial block with a scale of its own. OCP MX: E8M0 scales per 32 (OCP MX v1.0
/// §5); NVFP4: E4M3 scales per 16 under an fp32 tensor scale that is static (calibrated), so it is a constant of the
/// model read by the ops that use it, not data stored with each value.
/// </summary>
public sealed record StoredFormat(DataType ElementType, int BlockSize, DataType BlockScaleType, int BlockAxis)
{
    /// <summary>OCP MX with <paramref name="element"/> elements: 32-element blocks, E8M0 scales.</summary>
    public static StoredFormat Mx(DataType element, int blockAxis) => new(element, 32, DataType.Float8E8M0, blockAxis);

    /// <summary>NVFP4: E2M1 elements, 16-element blocks, E4M3 scales.</summary>
    public static StoredFormat NvFp4(int blockAxis) => new(DataType.Float4E2M1, 16, DataType.Float8E4M3FN, blockAxis);
}
