using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// One operand of a low-precision array matmul: <see cref="Rows"/> x <see cref="Depth"/> element codes, row-major and
/// blocked along the depth (the reduction dimension K). Row r's value at k is
/// <c>decode(Codes[r * Depth + k]) · BlockScales[r * BlocksPerRow + k / BlockSize] · RowScales[r]</c>.
/// </summary>
/// <remarks>
/// The three scaling schemes real low-precision arrays use are all this shape: OCP MX (32-element blocks, E8M0 block
/// scales, row scale 1), NVFP4 (16-element blocks, E4M3 block scales, an fp32 tensor scale as the row scale) and
/// per-row/per-channel fp8 (one block spanning the depth with scale 1, the fp32 scale as the row scale). Block scales
/// apply inside the dot product, row scales once to its fp32 result (<see cref="ScaledMatMul"/>).
/// </remarks>
public sealed record ScaledOperand(MxElementType Type, int Rows, int Depth, int BlockSize, byte[] Codes, float[] BlockScales, float[] RowScales)
{
    /// <summary>Blocks per row; the last may be partial.</summary>
    public int BlocksPerRow => (Depth + BlockSize - 1) / BlockSize;

    /// <summary>Checks that the arrays have the sizes the shape implies.</summary>
    /// <exception cref="ArgumentException">a size disagrees.</exception>
    public void Validate()
    {
        if (Rows < 0 || Depth < 0 || BlockSize <= 0)
        {
            throw new ArgumentException($"bad operand shape {Rows} x {Depth}, block {BlockSize}");
        }

        if (Codes.Length != Rows * Depth || BlockScales.Length != Rows * BlocksPerRow || RowScales.Length != Rows)
        {
            throw new ArgumentException(
                $"operand {Rows} x {Depth} (block {BlockSize}) needs {Rows * Depth} codes, {Rows * BlocksPerRow} block scales and {Rows} row scales; " +
                $"got {Codes.Length}, {BlockScales.Length} and {RowScales.Length}");
        }
    }
}
