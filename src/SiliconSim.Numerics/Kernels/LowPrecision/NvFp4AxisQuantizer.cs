using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// NVFP4 conversion of a whole tensor under a static tensor scale, in blocks of 16 along one axis (the layout an
/// activation is stored in between layers: 16 channels of one pixel, or 16 consecutive elements of a GEMM row). Each
/// line along the axis is split into blocks of 16 from its start; a line whose length is not a multiple of 16 ends in a
/// partial block with a scale of its own. This is <c>TRT_FP4DynamicQuantize</c>'s arithmetic
/// (<see cref="NvFp4Codec.Quantize(ReadOnlySpan{float}, float, Span{byte}, Span{byte})"/> per block), so the codes are
/// the same whether the writer of a value or its reader converts it.
/// </summary>
public static class NvFp4AxisQuantizer
{
    /// <summary>Converts <paramref name="values"/> (row-major, <paramref name="shape"/>) along <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentException">the shape does not match, the axis is out of range, a value is not finite or
    /// the tensor scale is not finite and positive.</exception>
    public static NvFp4Tensor Quantize(ReadOnlySpan<float> values, ReadOnlySpan<int> shape, int axis, float tensorScale)
    {
        int rank = shape.Length;
        axis = axis < 0 ? axis + rank : axis;
        if (axis < 0 || axis >= Math.Max(rank, 1))
        {
            throw new ArgumentException($"axis {axis} is out of range for rank {rank}", nameof(axis));
        }

        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"shape holds {count} values, got {values.Length}", nameof(values));
        }

        int extent = rank == 0 ? 1 : shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < rank; d++)
        {
            inner *= shape[d];
        }

        int outer = extent == 0 || inner == 0 ? 0 : values.Length / (extent * inner);
        int blocks = NvFp4Codec.ScaleCount(extent);
        byte[] codes = new byte[values.Length];
        byte[] scales = new byte[outer * blocks * inner];
        float[] line = new float[extent];
        byte[] lineCodes = new byte[extent];
        byte[] lineScales = new byte[blocks];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int k = 0; k < extent; k++)
                {
                    line[k] = values[(((o * extent) + k) * inner) + i];
                }

                NvFp4Codec.Quantize(line, tensorScale, lineCodes, lineScales);
                for (int k = 0; k < extent; k++)
                {
                    codes[(((o * extent) + k) * inner) + i] = lineCodes[k];
                }

                for (int b = 0; b < blocks; b++)
                {
                    scales[(((o * blocks) + b) * inner) + i] = lineScales[b];
                }
            }
        }

        int[] scaleShape = rank == 0 ? [] : [.. shape];
        if (rank > 0)
        {
            scaleShape[axis] = blocks;
        }

        return new NvFp4Tensor(codes, scales, scaleShape, axis, extent, inner, tensorScale);
    }
}
