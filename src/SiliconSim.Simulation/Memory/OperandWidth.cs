namespace SiliconSim.Simulation.Memory;

/// <summary>
/// What the elements of a tiler operand occupy as stored: <see cref="ElementBits"/> each, plus in a block format (OCP
/// MX, NVFP4) one scale of <see cref="ScaleBits"/> per block of <see cref="BlockSize"/> elements along a line of
/// <see cref="LineElements"/> (a line's last block may be partial and has a scale of its own). A tile's bytes spread a
/// line's scales evenly over its elements: exact for tiles of whole lines, and for any tile on average. MXFP4 in lines
/// of 64 takes 4 + 2 x 8 / 64 = 4.25 bits an element; a depthwise conv's MX weights, one channel a line, 4 + 8 = 12.
/// </summary>
internal readonly record struct OperandWidth(int ElementBits, int ScaleBits = 0, long BlockSize = 1, long LineElements = 1)
{
    /// <summary>A plain element type's width: no scales.</summary>
    public static implicit operator OperandWidth(int elementBits) => new(elementBits);

    /// <summary>Bytes of <paramref name="elements"/> packed elements (sub-byte types share bytes) with their share of
    /// the scales: <c>ceil(elements x (ElementBits x L + ScaleBits x ceil(L / BlockSize)) / (8 x L))</c>.</summary>
    public long Bytes(long elements)
    {
        long line = Math.Max(LineElements, 1);
        long blocks = (line + BlockSize - 1) / BlockSize;
        Int128 bits = (Int128)elements * ((ElementBits * line) + (ScaleBits * blocks));
        Int128 denominator = 8 * line;
        return (long)((bits + denominator - 1) / denominator);
    }
}
