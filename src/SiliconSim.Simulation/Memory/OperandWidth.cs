namespace SiliconSim.Simulation.Memory;

/// <summary>
/// What one element of a tiler operand occupies as stored: <see cref="ElementBits"/>, plus in a block format (OCP MX,
/// NVFP4) one scale of <see cref="ScaleBits"/> per <see cref="BlockSize"/> elements. A tile's bytes spread the scales
/// evenly over its elements (MXFP4: 4 + 8/32 = 4.25 bits; NVFP4: 4 + 8/16 = 4.5 bits), which is exact when the tile
/// holds whole blocks along the blocked axis; whole-tensor transfers count a line's partial last block exactly
/// (<see cref="Mapping.StorageBytes"/>).
/// </summary>
internal readonly record struct OperandWidth(int ElementBits, int ScaleBits = 0, int BlockSize = 1)
{
    /// <summary>A plain element type's width: no scales.</summary>
    public static implicit operator OperandWidth(int elementBits) => new(elementBits);

    /// <summary>Bytes of <paramref name="elements"/> packed elements (sub-byte types share bytes) with their scales:
    /// <c>ceil(elements x (ElementBits x BlockSize + ScaleBits) / (8 x BlockSize))</c>.</summary>
    public long Bytes(long elements)
    {
        long bitsPerBlock = ((long)ElementBits * BlockSize) + ScaleBits;
        long denominator = 8L * BlockSize;
        return ((elements * bitsPerBlock) + denominator - 1) / denominator;
    }
}
