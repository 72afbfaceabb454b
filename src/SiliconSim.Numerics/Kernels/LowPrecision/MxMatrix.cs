using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// A row-major matrix of <see cref="Rows"/> x <see cref="Depth"/> values in an OCP MX format, blocked along the depth
/// (the reduction dimension K): row r's block j has scale <c>Scales[r * BlocksPerRow + j]</c>.
/// </summary>
public sealed record MxMatrix(MxElementType Type, int Rows, int Depth, byte[] Codes, byte[] Scales)
{
    public int BlocksPerRow => MxBlockCodec.ScaleCount(Depth);

    /// <summary>Converts each row of a row-major float matrix to MX with the spec's conversion.</summary>
    public static MxMatrix FromFloats(MxElementType type, int rows, int depth, ReadOnlySpan<float> values)
    {
        if (values.Length != rows * depth)
        {
            throw new ArgumentException($"expected {rows * depth} values, got {values.Length}", nameof(values));
        }

        int blocks = MxBlockCodec.ScaleCount(depth);
        byte[] codes = new byte[values.Length];
        byte[] scales = new byte[rows * blocks];
        for (int r = 0; r < rows; r++)
        {
            MxBlockCodec.Quantize(values.Slice(r * depth, depth), type, codes.AsSpan(r * depth, depth), scales.AsSpan(r * blocks, blocks));
        }

        return new MxMatrix(type, rows, depth, codes, scales);
    }
}
