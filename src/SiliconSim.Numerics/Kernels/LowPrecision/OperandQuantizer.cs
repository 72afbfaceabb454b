using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// Quantizes the rows of a float matrix the way a low-precision array converts the activations it streams in: each row
/// on its own (one output pixel or token), so a sample's result never depends on the rest of the batch.
/// </summary>
public static class OperandQuantizer
{
    /// <summary>The block size each scaling uses; <see cref="BlockScaling.PerRow"/> has one block per row.</summary>
    public static int BlockSize(BlockScaling scaling, int depth) => scaling switch
    {
        BlockScaling.Mx => MxBlockCodec.BlockSize,
        BlockScaling.NvFp4 => NvFp4Codec.BlockSize,
        _ => Math.Max(1, depth),
    };

    /// <param name="values">rows x depth, row-major; every value finite.</param>
    /// <exception cref="ArgumentException">a value is not finite, or NVFP4 with non-fp4 elements.</exception>
    public static ScaledOperand Quantize(ReadOnlySpan<float> values, int rows, int depth, MxElementType type, BlockScaling scaling) =>
        Quantize(values, rows, depth, type, scaling, BlockSize(scaling, depth));

    /// <summary>
    /// <see cref="Quantize(ReadOnlySpan{float}, int, int, MxElementType, BlockScaling)"/> with blocks of
    /// <paramref name="blockSize"/> values, at most the scaling's block size: the blocks of an array that skips zero
    /// padding (a block of 32 holding 16 channels and 16 zeros has the scale, codes and sums of the 16 alone).
    /// </summary>
    /// <exception cref="ArgumentException">a value is not finite, NVFP4 with non-fp4 elements, or the block size is out
    /// of range.</exception>
    public static ScaledOperand Quantize(ReadOnlySpan<float> values, int rows, int depth, MxElementType type, BlockScaling scaling, int blockSize)
    {
        if (values.Length != rows * depth)
        {
            throw new ArgumentException($"expected {rows * depth} values, got {values.Length}", nameof(values));
        }

        if (blockSize < 1 || (scaling != BlockScaling.PerRow && blockSize > BlockSize(scaling, depth)))
        {
            throw new ArgumentException($"{scaling} blocks hold 1 to {BlockSize(scaling, depth)} values, not {blockSize}", nameof(blockSize));
        }

        if (scaling == BlockScaling.PerRow)
        {
            blockSize = BlockSize(scaling, depth);
        }

        int blocks = (depth + blockSize - 1) / blockSize;
        byte[] codes = new byte[values.Length];
        float[] blockScales = new float[rows * blocks];
        float[] rowScales = new float[rows];
        byte[] e8 = new byte[blocks];
        float typeMax = MxElements.Decode(type, MaxCode(type));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * depth, depth);
            Span<byte> rowCodes = codes.AsSpan(r * depth, depth);
            Span<float> rowBlockScales = blockScales.AsSpan(r * blocks, blocks);
            switch (scaling)
            {
                case BlockScaling.Mx:
                    MxBlockCodec.Quantize(row, type, rowCodes, e8, blockSize);
                    for (int b = 0; b < blocks; b++)
                    {
                        rowBlockScales[b] = Formats.E8M0.Decode(e8[b]);
                    }

                    rowScales[r] = 1f;
                    break;
                case BlockScaling.NvFp4:
                    if (type != MxElementType.Fp4E2M1)
                    {
                        throw new ArgumentException($"NVFP4 scaling needs fp4 e2m1 elements, not {type}");
                    }

                    rowScales[r] = NvFp4Codec.Quantize(row, rowCodes, e8, blockSize);
                    for (int b = 0; b < blocks; b++)
                    {
                        rowBlockScales[b] = Formats.Fp8E4M3Fn.Decode(e8[b]);
                    }

                    break;
                default:
                    rowScales[r] = PerRow(row, type, typeMax, rowCodes);
                    rowBlockScales[0] = 1f;
                    break;
            }
        }

        return new ScaledOperand(type, rows, depth, blockSize, codes, blockScales, rowScales);
    }

    private static float PerRow(ReadOnlySpan<float> row, MxElementType type, float max, Span<byte> codes)
    {
        float amax = 0;
        foreach (float v in row)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("low-precision conversion needs finite values");
            }

            amax = Math.Max(amax, Math.Abs(v));
        }

        // amax / max puts the row's largest magnitude on the type's largest finite value; an all-zero row gets 1.
        float scale = amax == 0 ? 1f : amax / max;
        for (int i = 0; i < row.Length; i++)
        {
            codes[i] = MxElements.Encode(type, row[i] / scale);
        }

        return scale;
    }

    private static byte MaxCode(MxElementType type)
    {
        byte best = 0;
        float bestValue = 0;
        for (int c = 0; c < MxElements.CodeCount(type); c++)
        {
            float v = MxElements.Decode(type, (byte)c);
            if (float.IsFinite(v) && v > bestValue)
            {
                (best, bestValue) = ((byte)c, v);
            }
        }

        return best;
    }
}
