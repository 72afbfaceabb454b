namespace SiliconSim.Simulation.Layers;

/// <summary>
/// The scales a block-format operand carries beside its elements: <see cref="ScaleBits"/> (a scale, and a zero point
/// where the format has one) for every <see cref="BlockSize"/> elements along a line, a line's partial last block with
/// a scale of its own. OCP MX: 8 bits (E8M0) per 32; NVFP4: 8 bits (E4M3) per 16; ORT's MatMulNBits at block 32 with
/// fp16 scales and 4-bit zero points: 20 bits per 32.
/// </summary>
public sealed record BlockScales(int ScaleBits, int BlockSize)
{
    /// <summary>OCP MX v1.0 §5.2: an E8M0 scale per 32 elements.</summary>
    public static BlockScales Mx { get; } = new(8, 32);

    /// <summary>NVFP4: an E4M3 scale per 16 elements (its fp32 tensor scale is a constant of the op).</summary>
    public static BlockScales NvFp4 { get; } = new(8, 16);
}
